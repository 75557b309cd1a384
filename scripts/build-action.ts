// Builds the Action's bundle, dist/index.js: the Action entry and every module it loads in one
// CommonJS file, as GitHub's runner executes it without installing anything. `npm run
// build:action` writes it; a test builds it in memory the same way and compares, so a stale
// committed bundle fails the test run.

import { build } from "esbuild";
import { writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ACTION_BUNDLE = join(ROOT, "dist", "index.js");

/** The bundle's text, built from the sources at `root`. The same sources give the same bytes. */
export async function buildActionBundle(root = ROOT): Promise<string> {
  const result = await build({
    absWorkingDir: root,
    entryPoints: ["src/action/main.ts"],
    bundle: true,
    write: false,
    platform: "node",
    // The runner uses Node 24 (action.yml); node20 syntax keeps the bundle runnable on older local Node too.
    target: "node20",
    format: "cjs",
    // Some @actions packages ship ESM only, behind "module" or an "import" condition.
    mainFields: ["module", "main"],
    // node_modules may be a link; paths in the bundle's comments stay `node_modules/...` either way.
    preserveSymlinks: true,
    // `import.meta.url` has no CommonJS equivalent; the banner defines one from the bundle's own path.
    define: { "import.meta.url": "__import_meta_url" },
    banner: { js: 'var __import_meta_url = require("node:url").pathToFileURL(__filename).href;' },
    // Start-up is spent reading and compiling the file: whitespace and syntax minification halve
    // it; names are kept, so stack traces stay readable.
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "eof",
    logLevel: "silent",
    outfile: "dist/index.js",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await buildActionBundle();
  await mkdir(dirname(ACTION_BUNDLE), { recursive: true });
  await writeFile(ACTION_BUNDLE, text);
  process.stdout.write(`Wrote dist/index.js (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)\n`);
}

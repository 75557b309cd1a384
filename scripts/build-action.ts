// Builds the Action's bundle, dist/index.js: the Action entry and every module it loads in one
// CommonJS file, as GitHub's runner executes it without installing anything. `npm run
// build:action` writes it; a test builds it in memory the same way and compares, so a stale
// committed bundle fails the test run.

import { build, type BuildOptions, type Plugin } from "esbuild";
import { writeFile, mkdir } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ROOT = fileURLToPath(new URL("..", import.meta.url));
export const ACTION_BUNDLE = join(ROOT, "dist", "index.js");

/**
 * Packages the Action loads on some runs only, long after it starts: the Actions cache client
 * (with the Azure storage SDK and an HTTP stack under it) and undici (for a proxy). Node compiles
 * every byte of a script before running its first line, and these are half the bundle, so they
 * are built apart and kept in the one file as text, compiled when first imported. A string
 * literal costs the compiler a scan, not a parse: the Action reaches GitHub sooner.
 */
export const DEFERRED_PACKAGES = ["@actions/cache", "undici"] as const;

const COMMON = {
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
  logLevel: "silent",
} as const satisfies BuildOptions;

/** The bundle's text, built from the sources at `root`. The same sources give the same bytes. */
export async function buildActionBundle(root = ROOT): Promise<string> {
  const deferred = new Map<string, string>();
  for (const name of DEFERRED_PACKAGES) deferred.set(name, await buildDeferred(root, name));
  const result = await build({
    ...COMMON,
    absWorkingDir: root,
    entryPoints: ["src/action/main.ts"],
    legalComments: "eof",
    outfile: "dist/index.js",
    plugins: [embedDeferred(deferred)],
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error("esbuild produced no output");
  return file.text;
}

/** One deferred package as a CommonJS module body (its licence comments kept at its end). */
export async function buildDeferred(root: string, name: string): Promise<string> {
  const result = await build({
    ...COMMON,
    absWorkingDir: root,
    stdin: { contents: `export * from ${JSON.stringify(name)};`, resolveDir: root, loader: "js", sourcefile: `${name}.js` },
    legalComments: "eof",
  });
  const [file] = result.outputFiles;
  if (!file) throw new Error(`esbuild produced no output for ${name}`);
  return file.text;
}

/**
 * Resolves a dynamic `import()` of a deferred package to a module that compiles the embedded text
 * on first use (esbuild runs a dynamically imported module only when the import runs). Static
 * imports are left alone: they are needed at start anyway.
 */
function embedDeferred(deferred: ReadonlyMap<string, string>): Plugin {
  const names = [...deferred.keys()];
  return {
    name: "deferred-packages",
    setup(b) {
      b.onResolve({ filter: /.*/ }, (args) =>
        args.kind === "dynamic-import" && names.includes(args.path) ? { path: args.path, namespace: "deferred" } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: "deferred" }, (args) => ({
        loader: "js",
        contents: [
          `const { compileFunction } = require("node:vm");`,
          `const body = ${JSON.stringify(deferred.get(args.path))};`,
          `compileFunction(body, ["exports", "require", "module", "__filename", "__dirname"], { filename: __filename + "#" + ${JSON.stringify(args.path)} })(module.exports, require, module, __filename, __dirname);`,
        ].join("\n"),
      }));
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const text = await buildActionBundle();
  await mkdir(dirname(ACTION_BUNDLE), { recursive: true });
  await writeFile(ACTION_BUNDLE, text);
  process.stdout.write(`Wrote dist/index.js (${(Buffer.byteLength(text) / 1024).toFixed(0)} KiB)\n`);
}

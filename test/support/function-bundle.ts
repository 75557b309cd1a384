// Bundles a Netlify function with esbuild as Netlify's own bundler does (ESM, Node 20), with code
// splitting so that what a dynamic `import()` loads lands in chunks of its own: a chunk's static
// imports are what loading it costs, which is what the cold-start test and the benchmark measure.

import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build, type Metafile } from "esbuild";

export interface FunctionBundle {
  outdir: string;
  metafile: Metafile;
  /** The entry's output file (absolute). */
  entry: string;
  /** The output files loaded with `output`, following static imports only (absolute paths). */
  staticClosure(output: string): string[];
  /** The source files in those outputs (paths as esbuild names them). */
  inputsOf(outputs: string[]): string[];
  /** The output that holds `source` (a path relative to the project). */
  outputHolding(source: string): string | undefined;
  /** Total bytes of `outputs`. */
  bytes(outputs: string[]): number;
}

export async function bundleFunction(entryPoint: string, root = process.cwd()): Promise<FunctionBundle> {
  const outdir = await mkdtemp(join(tmpdir(), "promptops-function-"));
  const result = await build({
    entryPoints: [resolve(root, entryPoint)],
    absWorkingDir: root,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    outdir,
    outExtension: { ".js": ".mjs" },
    metafile: true,
    logLevel: "silent",
    // CommonJS packages bundled into ESM still call `require` for Node's built-ins.
    banner: { js: 'import { createRequire as __promptopsRequire } from "node:module"; const require = __promptopsRequire(import.meta.url);' },
  });
  const metafile = result.metafile!;
  const abs = (path: string) => resolve(root, path);
  const entry = Object.entries(metafile.outputs).find(([, o]) => o.entryPoint !== undefined)![0];
  return {
    outdir,
    metafile,
    entry: abs(entry),
    staticClosure(output) {
      const seen = new Set<string>();
      const visit = (path: string) => {
        const key = Object.keys(metafile.outputs).find((k) => abs(k) === path);
        if (!key || seen.has(path)) return;
        seen.add(path);
        for (const i of metafile.outputs[key]!.imports) if (i.kind === "import-statement" && !i.external) visit(abs(i.path));
      };
      visit(output);
      return [...seen];
    },
    inputsOf(outputs) {
      return outputs.flatMap((o) => Object.keys(metafile.outputs[Object.keys(metafile.outputs).find((k) => abs(k) === o)!]!.inputs));
    },
    outputHolding(source) {
      const found = Object.entries(metafile.outputs).find(([, o]) => Object.keys(o.inputs).some((i) => abs(i) === abs(source)));
      return found ? abs(found[0]) : undefined;
    },
    bytes(outputs) {
      return outputs.reduce((sum, o) => sum + metafile.outputs[Object.keys(metafile.outputs).find((k) => abs(k) === o)!]!.bytes, 0);
    },
  };
}

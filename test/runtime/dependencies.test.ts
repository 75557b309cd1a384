// `promptops/runtime` runs inside services: it must not pull in the evaluation engine, the model
// providers or the GitHub code. Checked on the real module graph, as a bundler sees it.

import { build } from "esbuild";

describe("the runtime loader's dependencies", () => {
  it("reach neither the engine, the providers, the workflows nor the GitHub code", async () => {
    const result = await build({
      entryPoints: ["src/runtime/index.ts"],
      bundle: true,
      platform: "node",
      format: "esm",
      write: false,
      metafile: true,
      packages: "external",
      logLevel: "silent",
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs).toContain("src/core/prompts/render.ts");
    // Golden-set parsing (part of reading a workspace) shares one pure helper with the engine:
    // canonical JSON, in request-key.ts, which imports nothing but node:crypto.
    const shared = new Set(["src/core/eval/request-key.ts"]);
    const forbidden = inputs.filter((p) => !shared.has(p) && /^src\/(core\/(eval|providers|scorers|report)|github|workflows|host|app|action)\//.test(p));
    expect(forbidden).toEqual([]);
    const packages = Object.values(result.metafile.outputs)[0]!.imports.filter((i) => i.external).map((i) => i.path.split("/")[0]);
    expect(packages.filter((p) => /octokit|probot|openai|anthropic|@actions/.test(p!))).toEqual([]);
  });
});

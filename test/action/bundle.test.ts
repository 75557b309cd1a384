// dist/index.js is committed (the runner does not install or build anything), so it must be
// exactly what the sources build: CI fails here when someone changed src/ and not the bundle.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { compileFunction } from "node:vm";
import { ACTION_BUNDLE, ROOT, buildActionBundle, buildDeferred } from "../../scripts/build-action.js";

describe("the Action's committed bundle", () => {
  it("is what the sources build, byte for byte", async () => {
    const built = await buildActionBundle();
    const committed = readFileSync(ACTION_BUNDLE, "utf8");
    if (committed !== built) {
      throw new Error("dist/index.js is not what the sources build: run `npm run build:action` and commit dist/");
    }
  }, 60_000);

  it("is run as CommonJS whatever the package's module type", () => {
    expect(JSON.parse(readFileSync(new URL("../../dist/package.json", import.meta.url), "utf8"))).toEqual({ type: "commonjs" });
  });

  it("is what action.yml runs, on the runner's Node", () => {
    const manifest = readFileSync(new URL("../../action.yml", import.meta.url), "utf8");
    expect(manifest).toMatch(/^runs:\n {2}using: node24\n {2}main: dist\/index\.js$/m);
  });

  // The packages kept as text in the bundle and compiled on first import: what the Action calls
  // on them must be there once compiled the way the bundle compiles them.
  it.each([
    ["@actions/cache", ["restoreCache", "saveCache", "isFeatureAvailable"]],
    ["undici", ["EnvHttpProxyAgent", "fetch"]],
  ])("embeds %s as a module that exports what the Action uses", async (name, used) => {
    const body = await buildDeferred(ROOT, name);
    const module = { exports: {} as Record<string, unknown> };
    compileFunction(body, ["exports", "require", "module", "__filename", "__dirname"])(module.exports, createRequire(ACTION_BUNDLE), module, ACTION_BUNDLE, ROOT);
    for (const key of used) expect(typeof module.exports[key]).toBe("function");
  }, 60_000);
});

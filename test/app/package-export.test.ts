// `promptops/app` is what other Probot hosts load: the package's own export must resolve to the
// built app function (npm ci builds lib/ through the prepare script).

import { execFileSync } from "node:child_process";

describe("the ./app package export", () => {
  it("resolves by package name to a default-exported Probot app function", () => {
    const script = `import("promptops/app").then((m) => console.log(JSON.stringify({ type: typeof m.default, name: m.default.name, length: m.default.length })))`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ type: "function", name: "promptopsApp", length: expect.any(Number) });
  });
});

describe("the ./runtime package export", () => {
  it("resolves by package name to loadPrompt and deployedReport", () => {
    const script = `import("promptops/runtime").then((m) => console.log(JSON.stringify({ loadPrompt: typeof m.loadPrompt, report: m.deployedReport() })))`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { cwd: process.cwd(), encoding: "utf8" });
    expect(JSON.parse(out)).toEqual({ loadPrompt: "function", report: { prompts: {} } });
  });
});

import { checkBump, nextVersion } from "../../../src/core/versions/bump.js";
import { makePrompt } from "./prompt.js";

const edited = (version: string | undefined) =>
  makePrompt({ version, messages: [{ role: "system", content: "You summarise tickets in one line.", line: 8 }] });

describe("checkBump (manual)", () => {
  it.each<[string, string | undefined, string | undefined, boolean, string, string | undefined]>([
    // [case, base version, head version, content edited, status, rule]
    ["content changed, patch bump", "1.0.0", "1.0.1", true, "ok", undefined],
    ["content changed, minor bump", "1.0.0", "1.1.0", true, "ok", undefined],
    ["content changed, major bump", "1.9.9", "2.0.0", true, "ok", undefined],
    ["content changed, prerelease to release", "1.1.0-rc.1", "1.1.0", true, "ok", undefined],
    ["content changed, same version", "1.0.0", "1.0.0", true, "missing-bump", "version-bump"],
    ["content changed, version removed", "1.0.0", undefined, true, "missing-bump", "version-bump"],
    ["content changed, never versioned", undefined, undefined, true, "missing-bump", "version-bump"],
    ["content changed, first version added", undefined, "1.0.0", true, "ok", undefined],
    ["content changed, base version was invalid", "one", "1.0.0", true, "ok", undefined],
    ["content changed, version decreased", "1.2.0", "1.1.9", true, "version-decreased", "version-bump"],
    ["metadata only, same version", "1.0.0", "1.0.0", false, "ok", undefined],
    ["metadata only, bumped anyway", "1.0.0", "1.0.1", false, "ok", undefined],
    ["metadata only, version decreased", "2.0.0", "1.0.0", false, "version-decreased", "version-bump"],
    ["invalid head version", "1.0.0", "1.0", true, "invalid-version", "invalid-semver"],
    ["head version with a v", "1.0.0", "v1.0.1", true, "invalid-version", "invalid-semver"],
    ["invalid head version, nothing else changed", "1.0.0", "latest", false, "invalid-version", "invalid-semver"],
  ])("%s", (_case, previous, current, contentEdited, status, rule) => {
    const base = makePrompt({ version: previous });
    const head = contentEdited ? edited(current) : makePrompt({ version: current, description: "new words" });
    const result = checkBump(base, head, "manual");
    expect(result.status).toBe(status);
    expect(result.contentChanged).toBe(contentEdited);
    expect(result.previous).toBe(previous);
    expect(result.current).toBe(current);
    expect(result.diagnostic?.rule).toBe(rule);
    if (result.diagnostic) {
      expect(result.diagnostic).toMatchObject({ file: head.path, line: 4, column: 1, severity: "error" });
    }
  });

  it("suggests the next versions when the bump is missing", () => {
    const result = checkBump(makePrompt({ version: "1.2.3" }), edited("1.2.3"), "manual");
    expect(result.diagnostic?.message).toContain("still 1.2.3");
    expect(result.diagnostic?.message).toContain("1.2.4");
    expect(result.diagnostic?.message).toContain("1.3.0");
  });

  it("hints at dropping the v", () => {
    expect(checkBump(undefined, makePrompt({ version: "v1.0.0" }), "manual").diagnostic?.message).toContain(
      'write 1.0.0, without the "v"',
    );
  });

  it("points at line 1 when the version line is unknown", () => {
    const head = { ...edited("1.0.0"), positions: {} };
    expect(checkBump(makePrompt(), head, "manual").diagnostic?.line).toBe(1);
  });

  it("a new prompt is new; an invalid version on it is still reported", () => {
    expect(checkBump(undefined, makePrompt(), "manual")).toEqual({ contentChanged: true, current: "1.0.0", status: "new" });
    expect(checkBump(undefined, makePrompt({ version: undefined }), "manual").status).toBe("new");
    expect(checkBump(undefined, makePrompt({ version: "1" }), "manual").status).toBe("invalid-version");
  });
});

describe("checkBump (auto)", () => {
  it("ignores the version field and reports no diagnostic", () => {
    expect(checkBump(makePrompt(), edited("1.0.0"), "auto")).toEqual({
      contentChanged: true,
      previous: "1.0.0",
      current: "1.0.0",
      status: "ok",
    });
    expect(checkBump(makePrompt(), makePrompt({ version: "nonsense" }), "auto").status).toBe("ok");
    expect(checkBump(undefined, makePrompt(), "auto").status).toBe("new");
  });
});

describe("nextVersion", () => {
  it.each<[string | undefined, string[], string]>([
    [undefined, [], "1.0.0"],
    [undefined, ["prompt:major"], "1.0.0"],
    ["1.2.3", [], "1.2.4"],
    ["1.2.3", ["bug"], "1.2.4"],
    ["1.2.3", ["prompt:minor"], "1.3.0"],
    ["1.2.3", ["prompt:major"], "2.0.0"],
    ["1.2.3", ["prompt:minor", "prompt:major"], "2.0.0"],
    ["1.2.3", ["Prompt:Minor"], "1.3.0"],
    ["0.4.1", ["prompt:major"], "1.0.0"],
    ["1.3.0-rc.1", [], "1.3.0"],
    ["garbage", [], "1.0.0"],
  ])("after %s with labels %j: %s", (latest, labels, expected) => {
    expect(nextVersion(latest, labels)).toBe(expected);
  });
});

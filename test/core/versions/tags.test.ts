import {
  checkRefFormat,
  DEFAULT_TAG_TEMPLATE,
  idTagProblem,
  latestTaggedVersion,
  tagNameFor,
} from "../../../src/core/versions/tags.js";

describe("tagNameFor", () => {
  it("fills {id} and {version}", () => {
    expect(tagNameFor(DEFAULT_TAG_TEMPLATE, "support/summary", "1.3.0")).toBe("prompts/support/summary/v1.3.0");
    expect(tagNameFor("{id}@{version}", "a", "2.0.0")).toBe("a@2.0.0");
    expect(tagNameFor("{id}/{version}/{id}", "a", "1.0.0")).toBe("a/1.0.0/a");
  });
});

describe("checkRefFormat", () => {
  it.each([
    "prompts/support/summary/v1.3.0",
    "prompts/a-b_c/v1.0.0-rc.1+build.5",
    "v1",
    "a.b/c.d",
    "a@b",
    "unicode/é/v1.0.0",
    "a.lockx/b",
  ])("accepts %s", (name) => {
    expect(checkRefFormat(name)).toBeUndefined();
  });

  it.each([
    ["", "is empty"],
    ["@", 'is the single character "@"'],
    ["a..b", 'contains ".."'],
    ["a b", "contains a space"],
    ["a\tb", "contains the control character U+0009"],
    ["a\u007fb", "contains the control character U+007F"],
    ["a~1", 'contains "~"'],
    ["a^b", 'contains "^"'],
    ["a:b", 'contains ":"'],
    ["a?b", 'contains "?"'],
    ["a*b", 'contains "*"'],
    ["a[b", 'contains "["'],
    ["a\\b", 'contains "\\"'],
    ["a@{b", 'contains "@{"'],
    ["/a", 'starts with "/"'],
    ["a/", 'ends with "/"'],
    ["a//b", 'contains "//"'],
    ["a.", 'ends with "."'],
    [".a/b", 'has a component starting with "." (".a")'],
    ["a/.b/c", 'has a component starting with "." (".b")'],
    ["a.lock", 'has a component ending with ".lock" ("a.lock")'],
    ["a/b.lock/c", 'has a component ending with ".lock" ("b.lock")'],
  ])("rejects %j: %s", (name, reason) => {
    expect(checkRefFormat(name)).toBe(reason);
  });
});

describe("idTagProblem", () => {
  it.each(["support/summary", "a.b", "team-x/prompt_1"])("accepts the id %s", (id) => {
    expect(idTagProblem(id, DEFAULT_TAG_TEMPLATE)).toBeUndefined();
  });

  it.each([
    ["ticket summary", "contains a space"],
    ["support/.hidden", 'has a component starting with "."'],
    ["a..b", 'contains ".."'],
    ["prompts/what?", 'contains "?"'],
    ["x.lock", 'has a component ending with ".lock"'],
    ["/abs", 'contains "//"'],
  ])("reports the id %j: %s", (id, reason) => {
    const problem = idTagProblem(id, DEFAULT_TAG_TEMPLATE);
    expect(problem).toContain(`prompt id "${id}" cannot be part of a git tag name`);
    expect(problem).toContain(reason);
  });

  it("uses the default template when none is given", () => {
    expect(idTagProblem("a b")).toContain('"prompts/a b/v1.0.0"');
  });

  it("does not blame the id for a template that is invalid anyway", () => {
    expect(idTagProblem("fine", "bad..{id}/{version}")).toBeUndefined();
    expect(idTagProblem("any id", "fixed-name")).toBeUndefined();
  });
});

describe("latestTaggedVersion", () => {
  const tags = [
    "prompts/support/summary/v1.0.0",
    "prompts/support/summary/v1.10.0",
    "prompts/support/summary/v1.9.3",
    "prompts/support/summary/v2.0.0-rc.1",
    "prompts/support/summary/vnext",
    "prompts/support/summary-long/v9.0.0",
    "prompts/support/v5.0.0",
    "other/v7.0.0",
  ];
  it("finds the highest semver tag of this prompt only", () => {
    expect(latestTaggedVersion(DEFAULT_TAG_TEMPLATE, "support/summary", tags)).toBe("2.0.0-rc.1");
    expect(latestTaggedVersion(DEFAULT_TAG_TEMPLATE, "support/summary", tags.slice(0, 3))).toBe("1.10.0");
  });
  it("is undefined without tags or without {version} in the template", () => {
    expect(latestTaggedVersion(DEFAULT_TAG_TEMPLATE, "new/prompt", tags)).toBeUndefined();
    expect(latestTaggedVersion("static", "x", ["static"])).toBeUndefined();
  });
});

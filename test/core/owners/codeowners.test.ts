import { MAX_OWNERS_FILE_BYTES, ownerKind, ownersOf, parseOwnersFile } from "../../../src/core/owners/codeowners.js";

const owners = (file: string, path: string) => ownersOf(parseOwnersFile("CODEOWNERS", file).rules, path).owners;

// The example CODEOWNERS file from GitHub's "About code owners" page, as published.
const GITHUB_EXAMPLE = `# This is a comment.
# Each line is a file pattern followed by one or more owners.

# These owners will be the default owners for everything in
# the repo. Unless a later match takes precedence,
# @global-owner1 and @global-owner2 will be requested for
# review when someone opens a pull request.
*       @global-owner1 @global-owner2

# Order is important; the last matching pattern takes the most
# precedence. When someone opens a pull request that only
# modifies JS files, only @js-owner and not the global
# owner(s) will be requested for a review.
*.js    @js-owner #This is an inline comment.

# You can also use email addresses if you prefer. They'll be
# used to look up users just like we do for commit author
# emails.
*.go docs@example.com

# Teams can be specified as code owners as well. Teams should
# be identified in the format @org/team-name. Teams must have
# explicit write access to the repository. In this example,
# the octocats team in the octo-org organization owns all .txt files.
*.txt @octo-org/octocats

# In this example, @doctocat owns any files in the build/logs
# directory at the root of the repository and any of its
# subdirectories.
/build/logs/ @doctocat

# The \`docs/*\` pattern will match files like
# \`docs/getting-started.md\` but not further nested files like
# \`docs/build-app/troubleshooting.md\`.
docs/*  docs@example.com

# In this example, @octocat owns any file in an apps directory
# anywhere in your repository.
apps/ @octocat

# In this example, @doctocat owns any file in the \`/docs\`
# directory in the root of your repository and any of its
# subdirectories.
/docs/ @doctocat

# In this example, any change inside the \`/scripts\` directory
# will require approval from @doctocat or @octocat.
/scripts/ @doctocat @octocat

# In this example, @octocat owns any file in a \`/logs\` directory such as
# \`/build/logs\`, \`/scripts/logs\`, and \`/deeply/nested/logs\`. Any changes
# in a \`/logs\` directory will require approval from @octocat.
**/logs @octocat

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as its owners are left empty.
/apps/ @octocat
/apps/github

# In this example, @octocat owns any file in the \`/apps\`
# directory in the root of your repository except for the \`/apps/github\`
# subdirectory, as this subdirectory has its own owner @doctocat
/apps/ @octocat
/apps/github @doctocat
`;

describe("GitHub's example CODEOWNERS file", () => {
  const parsed = parseOwnersFile(".github/CODEOWNERS", GITHUB_EXAMPLE);

  it("parses without diagnostics, one rule per pattern line, with its line number", () => {
    expect(parsed.diagnostics).toEqual([]);
    expect(parsed.rules.map((r) => `${r.line}:${r.pattern}`)).toEqual([
      "8:*",
      "14:*.js",
      "19:*.go",
      "25:*.txt",
      "30:/build/logs/",
      "35:docs/*",
      "39:apps/",
      "44:/docs/",
      "48:/scripts/",
      "53:**/logs",
      "58:/apps/",
      "59:/apps/github",
      "64:/apps/",
      "65:/apps/github",
    ]);
    expect(parsed.rules[1].owners).toEqual(["@js-owner"]);
    expect(parsed.rules[11].owners).toEqual([]);
  });

  // The whole file: the last matching rule wins.
  it.each([
    ["README.md", ["@global-owner1", "@global-owner2"], 8],
    ["src/index.js", ["@js-owner"], 14],
    ["cmd/main.go", ["docs@example.com"], 19],
    ["notes/todo.txt", ["@octo-org/octocats"], 25],
    ["build/logs/build.log", ["@octocat"], 53], // /build/logs/ (30), then **/logs (53)
    ["docs/getting-started.md", ["@doctocat"], 44], // docs/* (35), then /docs/ (44)
    ["docs/build-app/troubleshooting.md", ["@doctocat"], 44],
    ["lib/docs/guide.md", ["@global-owner1", "@global-owner2"], 8],
    ["src/apps/main.rb", ["@octocat"], 39],
    ["apps/web/index.html", ["@octocat"], 64],
    ["apps/github/index.html", ["@doctocat"], 65],
    ["scripts/deploy.sh", ["@doctocat", "@octocat"], 48],
    ["scripts/logs/run.log", ["@octocat"], 53],
    ["deeply/nested/logs/trace.log", ["@octocat"], 53],
    [".github/workflows/ci.js", ["@js-owner"], 14],
  ])("%s is owned by %j (line %i)", (path, expected, line) => {
    const result = ownersOf(parsed.rules, path);
    expect(result.owners).toEqual(expected);
    expect(result.rule?.line).toBe(line);
  });
});

// Each commented example of GitHub's file on its own, with the expectation its comment states.
describe("each example of GitHub's file, alone", () => {
  it("* owns everything; a later *.js takes precedence for JS files only", () => {
    const file = "* @global-owner1 @global-owner2\n*.js @js-owner";
    expect(owners(file, "a/b/c.py")).toEqual(["@global-owner1", "@global-owner2"]);
    expect(owners(file, "a/b/c.js")).toEqual(["@js-owner"]);
    expect(owners(file, "c.js")).toEqual(["@js-owner"]);
  });

  it("/build/logs/ owns files in build/logs at the root and its subdirectories", () => {
    const file = "/build/logs/ @doctocat";
    expect(owners(file, "build/logs/a.log")).toEqual(["@doctocat"]);
    expect(owners(file, "build/logs/2024/a.log")).toEqual(["@doctocat"]);
    expect(owners(file, "src/build/logs/a.log")).toEqual([]);
    expect(owners(file, "build/logs")).toEqual([]); // a file named logs is not the directory
  });

  it("docs/* matches docs/getting-started.md but not docs/build-app/troubleshooting.md", () => {
    const file = "docs/* docs@example.com";
    expect(owners(file, "docs/getting-started.md")).toEqual(["docs@example.com"]);
    expect(owners(file, "docs/build-app/troubleshooting.md")).toEqual([]);
    expect(owners(file, "src/docs/getting-started.md")).toEqual([]);
  });

  it("apps/ owns any file in an apps directory anywhere in the repository", () => {
    const file = "apps/ @octocat";
    expect(owners(file, "apps/a.ts")).toEqual(["@octocat"]);
    expect(owners(file, "packages/apps/a.ts")).toEqual(["@octocat"]);
    expect(owners(file, "a/b/apps/c/d.ts")).toEqual(["@octocat"]);
    expect(owners(file, "myapps/a.ts")).toEqual([]);
    expect(owners(file, "src/apps")).toEqual([]);
  });

  it("/docs/ owns the root docs directory and its subdirectories only", () => {
    const file = "/docs/ @doctocat";
    expect(owners(file, "docs/a.md")).toEqual(["@doctocat"]);
    expect(owners(file, "docs/x/y/a.md")).toEqual(["@doctocat"]);
    expect(owners(file, "site/docs/a.md")).toEqual([]);
  });

  it("/scripts/ with two owners requires either", () => {
    expect(owners("/scripts/ @doctocat @octocat", "scripts/a/b.sh")).toEqual(["@doctocat", "@octocat"]);
  });

  it("**/logs owns any file in a logs directory at any depth", () => {
    const file = "**/logs @octocat";
    for (const path of ["build/logs/a", "scripts/logs/a", "deeply/nested/logs/a", "logs/a", "logs"]) {
      expect(owners(file, path)).toEqual(["@octocat"]);
    }
    expect(owners(file, "build/logsx/a")).toEqual([]);
    expect(owners(file, "build/catalogs/a")).toEqual([]);
  });

  it("/apps/github with no owners leaves that subdirectory unowned", () => {
    const { rules } = parseOwnersFile("CODEOWNERS", "/apps/ @octocat\n/apps/github");
    expect(ownersOf(rules, "apps/web/a.ts").owners).toEqual(["@octocat"]);
    const github = ownersOf(rules, "apps/github/a.ts");
    expect(github.owners).toEqual([]);
    expect(github.rule?.line).toBe(2);
    expect(ownersOf(rules, "apps/githubber/a.ts").owners).toEqual(["@octocat"]);
  });

  it("/apps/github @doctocat gives that subdirectory its own owner", () => {
    const file = "/apps/ @octocat\n/apps/github @doctocat";
    expect(owners(file, "apps/github/deep/a.ts")).toEqual(["@doctocat"]);
    expect(owners(file, "apps/other.ts")).toEqual(["@octocat"]);
  });

  it("/apps/ @example-org/content-team: a team owner", () => {
    expect(owners("/apps/ @example-org/content-team", "apps/a")).toEqual(["@example-org/content-team"]);
  });
});

describe("pattern semantics", () => {
  // [pattern, path, matches]
  it.each<[string, string, boolean]>([
    // no slash: any depth; a matched directory covers its contents
    ["foo", "foo", true],
    ["foo", "bar/foo", true],
    ["foo", "foo/bar", true],
    ["foo", "bar/foo/baz", true],
    ["foo", "foo.txt", false],
    ["foo", "bar/foo.txt", false],
    // leading slash anchors to the root
    ["/foo", "foo", true],
    ["/foo", "foo/bar/baz", true],
    ["/foo", "bar/foo", false],
    ["/foo", "fool.txt", false],
    // trailing slash: directories only
    ["foo/", "foo", false],
    ["foo/", "foo/bar", true],
    ["foo/", "bar/foo/baz/qux", true],
    ["/foo/", "bar/foo/baz", false],
    // a middle slash anchors too
    ["foo/bar", "foo/bar", true],
    ["foo/bar", "foo/bar/baz", true],
    ["foo/bar", "baz/foo/bar", false],
    ["foo/bar", "foo/bart", false],
    ["foo/bar/", "foo/bar", false],
    ["foo/bar/", "foo/bar/baz", true],
    // * never crosses a slash
    ["*", "anything/at/all", true],
    ["*", ".github/CODEOWNERS", true],
    ["f*", "foo/bar", true],
    ["f*", "bar/foo", true],
    ["f*", "bar/baz", false],
    ["/f*", "bar/foo", false],
    ["/*", "foo", true],
    ["/*", "foo/bar", false],
    ["f*/", "foo", false],
    ["f*/", "bar/foo/baz", true],
    ["/*/", "foo", false],
    ["/*/", "foo/bar", true],
    ["foo/*", "foo/bar", true],
    ["foo/*", "foo/bar/baz", false],
    ["foo/*", "foo", false],
    ["foo/*.txt", "foo/bar.txt", true],
    ["foo/*.txt", "foo/bar/baz.txt", false],
    ["foo/*/baz", "foo/bar/baz", true],
    ["foo/*/baz", "foo/bar/baz/qux", true],
    ["foo/*/baz", "foo/baz", false],
    ["*.md", "docs/deep/readme.md", true],
    ["*.md", "readme.mdx", false],
    // ? is one character, not a slash
    ["f?o", "foo", true],
    ["f?o", "fo", false],
    ["f?o", "fooo", false],
    ["a?b", "a/b", false],
    // ** at the start, middle and end
    ["**/foo/bar", "foo/bar", true],
    ["**/foo/bar", "x/y/foo/bar/z", true],
    ["**/foo/bar", "foo/x/bar", false],
    ["**/*bar*", "foo/rebar", true],
    ["foo/**", "foo/bar", true],
    ["foo/**", "foo/bar/baz", true],
    ["foo/**", "foo", false],
    ["foo/**", "x/foo/bar", false],
    ["foo/**/bar", "foo/bar", true],
    ["foo/**/bar", "foo/x/y/bar/z", true],
    ["foo/**/bar", "x/foo/bar", false],
    // `foo/**/` names the directories inside foo: a file directly in foo is not one of them.
    ["foo/**/", "foo/bar", false],
    ["foo/**/", "foo/bar/baz", true],
    ["foo/**/", "foo/a/b/c.md", true],
    ["foo/**/", "foo", false],
    ["foo/**/", "x/foo/bar/baz", false],
    ["foo/**/bar/b*", "foo/q/bar/baz", true],
    ["foo/**/bar/b*", "foo/q/bar/qux", false],
    ["**", "a/b/c", true],
    // escapes and characters that are literal in owners files
    ["f\\*o", "f*o", true],
    ["f\\*o", "foo", false],
    ["f\\?o", "f?o", true],
    ["f\\?o", "foo", false],
    ["my\\ file.txt", "my file.txt", true],
    ["a(b|c).md", "a(b|c).md", true],
    ["a(b|c).md", "ab.md", false],
    ["{a,b}.md", "{a,b}.md", true],
    ["{a,b}.md", "a.md", false],
    ["a+.md", "aa.md", false],
    ["a+.md", "a+.md", true],
    ["@(x)", "@(x)", true],
    ["a.b", "axb", false],
    ["c#/x", "c#/x", true],
    // paths are case-sensitive
    ["/Docs/", "docs/a.md", false],
    ["*.MD", "a.md", false],
    ["README", "readme", false],
  ])("%s vs %s -> %s", (pattern, path, expected) => {
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", `${pattern} @o`);
    expect(diagnostics).toEqual([]);
    expect(rules[0].matcher(path)).toBe(expected);
  });

  it("accepts paths written with a leading ./ or /", () => {
    const { rules } = parseOwnersFile("CODEOWNERS", "/prompts/ @o");
    expect(ownersOf(rules, "./prompts/a.prompt.yml").owners).toEqual(["@o"]);
    expect(ownersOf(rules, "/prompts/a.prompt.yml").owners).toEqual(["@o"]);
  });

  it("returns no owners and no rule when nothing matches", () => {
    expect(ownersOf(parseOwnersFile("CODEOWNERS", "/a/ @o").rules, "b/c")).toEqual({ owners: [] });
  });
});

describe("syntax", () => {
  it("ignores comments, blank lines and trailing comments after whitespace", () => {
    const { rules, diagnostics } = parseOwnersFile(
      "CODEOWNERS",
      "# comment\n\n   \n  # indented comment\n*.js @a # trailing @b\nfoo#bar @c\n",
    );
    expect(diagnostics).toEqual([]);
    expect(rules.map((r) => [r.pattern, r.owners])).toEqual([
      ["*.js", ["@a"]],
      ["foo#bar", ["@c"]],
    ]);
  });

  it("handles CRLF line endings and tabs", () => {
    const { rules } = parseOwnersFile("CODEOWNERS", "*\t@a\r\n/docs/\t\t@b @c\r\n");
    expect(rules.map((r) => [r.line, r.pattern, r.owners])).toEqual([
      [1, "*", ["@a"]],
      [2, "/docs/", ["@b", "@c"]],
    ]);
  });

  it.each([
    ["!docs/ @a", 1, "negating a pattern with ! is not supported"],
    ["*.[ch] @a", 1, "character ranges with [ ] are not supported"],
    ["src/[abc]/ @a", 1, "character ranges"],
    ["\\#notes @a", 1, "escaping a leading # with \\ is not supported"],
    ["*.js @a user", 9, '"user" is not a valid owner'],
    ["*.js @a @bad!name", 9, '"@bad!name" is not a valid owner'],
    ["*.js @org/team/extra", 6, "is not a valid owner"],
    ["*.js @", 6, "is not a valid owner"],
    ["*.js @org/", 6, "is not a valid owner"],
    ["*.js not-an-email@", 6, "is not a valid owner"],
  ])("%s is invalid: skipped and reported at its line and column", (line, column, message) => {
    const { rules, diagnostics } = parseOwnersFile(".github/PROMPTOWNERS", `* @ok\n${line}\n/x/ @ok2`);
    expect(rules.map((r) => r.line)).toEqual([1, 3]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({
      file: ".github/PROMPTOWNERS",
      line: 2,
      column,
      severity: "error",
      rule: "owners-syntax",
    });
    expect(diagnostics[0].message).toContain(message);
  });

  it("an invalid line does not change the owners of other paths", () => {
    const file = "* @global\n!prompts/ @nobody\n*.[ch] @c";
    expect(owners(file, "prompts/a.prompt.yml")).toEqual(["@global"]);
    expect(owners(file, "x.c")).toEqual(["@global"]);
  });

  it("accepts escaped brackets as literal characters", () => {
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", "a\\[1\\].md @o");
    expect(diagnostics).toEqual([]);
    expect(rules[0].matcher("a[1].md")).toBe(true);
  });

  it("a pattern with no owners is valid", () => {
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", "/vendor/   # nobody");
    expect(diagnostics).toEqual([]);
    expect(rules).toHaveLength(1);
    expect(rules[0].owners).toEqual([]);
  });

  it("warns when an owner stands where the pattern should be", () => {
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", "@alice");
    expect(rules).toHaveLength(1);
    expect(diagnostics).toEqual([expect.objectContaining({ line: 1, column: 1, severity: "warning", rule: "owners-syntax" })]);
  });

  it.each([
    ["@octocat", "user"],
    ["@js-owner", "user"],
    ["@global-owner1", "user"],
    ["@user_emu", "user"],
    ["@octo-org/octocats", "team"],
    ["@example-org/content-team", "team"],
    ["docs@example.com", "email"],
    ["first.last+tag@sub.example.co.uk", "email"],
    ["octocat", undefined],
    ["@-bad", undefined],
    ["@a/b/c", undefined],
    ["user@localhost", undefined],
  ])("ownerKind(%s) = %s", (token, kind) => {
    expect(ownerKind(token)).toBe(kind);
  });
});

describe("file size", () => {
  it("does not load a file of 3 MB or more: one diagnostic, no rules", () => {
    const line = "*.js @js-owner\n";
    const text = line.repeat(Math.ceil(MAX_OWNERS_FILE_BYTES / line.length));
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", text);
    expect(rules).toEqual([]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ file: "CODEOWNERS", line: 1, severity: "error", rule: "owners-file-too-large" });
    expect(diagnostics[0].message).toContain("3 MB");
  });

  it("loads a file just under the limit", () => {
    const text = `* @a\n${"#".repeat(MAX_OWNERS_FILE_BYTES - 10)}\n`;
    const { rules, diagnostics } = parseOwnersFile("CODEOWNERS", text);
    expect(diagnostics).toEqual([]);
    expect(rules).toHaveLength(1);
  });

  it("counts bytes, not characters", () => {
    // "é" is two bytes in UTF-8: 1.6 M of them is over 3 MB though under 3 M characters.
    const text = `* @a\n# ${"é".repeat(1_600_000)}\n`;
    expect(parseOwnersFile("CODEOWNERS", text).rules).toEqual([]);
  });
});

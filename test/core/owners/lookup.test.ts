import { parseOwnersFile } from "../../../src/core/owners/codeowners.js";
import {
  normalizeOwners,
  OWNERS_FILE_CANDIDATES,
  resolvePromptOwners,
  selectOwnersFile,
} from "../../../src/core/owners/lookup.js";
import { memoryTree, type FileBlob } from "../../../src/core/files.js";

async function blobsAt(files: Record<string, string>, useCodeowners: boolean): Promise<Map<string, FileBlob>> {
  return memoryTree(files).read(OWNERS_FILE_CANDIDATES(useCodeowners));
}

describe("OWNERS_FILE_CANDIDATES", () => {
  it("is PROMPTOWNERS alone, or followed by GitHub's CODEOWNERS locations in GitHub's order", () => {
    expect(OWNERS_FILE_CANDIDATES(false)).toEqual([".github/PROMPTOWNERS"]);
    expect(OWNERS_FILE_CANDIDATES(true)).toEqual([".github/PROMPTOWNERS", ".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS"]);
  });
});

describe("selectOwnersFile", () => {
  it("prefers PROMPTOWNERS over CODEOWNERS", async () => {
    const blobs = await blobsAt({ ".github/PROMPTOWNERS": "* @prompt-team", ".github/CODEOWNERS": "* @code-team" }, true);
    const selected = selectOwnersFile(true, blobs);
    expect(selected.path).toBe(".github/PROMPTOWNERS");
    expect(selected.rules.map((r) => r.owners)).toEqual([["@prompt-team"]]);
  });

  it("ignores CODEOWNERS unless useCodeowners is set", async () => {
    const blobs = await blobsAt({ CODEOWNERS: "* @code-team" }, true);
    expect(selectOwnersFile(false, blobs)).toEqual({ rules: [], diagnostics: [] });
  });

  it("takes the first existing CODEOWNERS: .github/, then root, then docs/", async () => {
    const rootAndDocs = await blobsAt({ CODEOWNERS: "* @root", "docs/CODEOWNERS": "* @docs" }, true);
    expect(selectOwnersFile(true, rootAndDocs).path).toBe("CODEOWNERS");
    const docsOnly = await blobsAt({ "docs/CODEOWNERS": "* @docs" }, true);
    expect(selectOwnersFile(true, docsOnly).path).toBe("docs/CODEOWNERS");
  });

  it("reports its syntax problems with the file's path", async () => {
    const blobs = await blobsAt({ ".github/PROMPTOWNERS": "* @a\n!b @c" }, false);
    const selected = selectOwnersFile(false, blobs);
    expect(selected.rules).toHaveLength(1);
    expect(selected.diagnostics).toEqual([expect.objectContaining({ file: ".github/PROMPTOWNERS", line: 2, rule: "owners-syntax" })]);
  });

  it("does not fall back past an existing file it cannot use", () => {
    const blobs = new Map<string, FileBlob>([
      [".github/PROMPTOWNERS", { kind: "too-large", size: 5_000_000 }],
      [".github/CODEOWNERS", { kind: "text", text: "* @code-team", size: 12 }],
    ]);
    const selected = selectOwnersFile(true, blobs);
    expect(selected.path).toBe(".github/PROMPTOWNERS");
    expect(selected.rules).toEqual([]);
    expect(selected.diagnostics).toEqual([expect.objectContaining({ severity: "error", rule: "owners-file-too-large" })]);
    const binary = selectOwnersFile(false, new Map([[".github/PROMPTOWNERS", { kind: "binary", size: 3 } as FileBlob]]));
    expect(binary.diagnostics[0].message).toContain("not UTF-8 text");
  });
});

describe("resolvePromptOwners", () => {
  const rules = parseOwnersFile(".github/PROMPTOWNERS", "/prompts/support/ @acme/support-ai\n/prompts/legacy/\n").rules;
  const path = "prompts/support/ticket.prompt.yml";

  it("uses the base owners-file rule first", () => {
    expect(
      resolvePromptOwners({ path, rules, basePromptOwners: ["@alice"], headPromptOwners: ["@alice"], defaultOwners: ["@lead"] }),
    ).toEqual({ owners: ["@acme/support-ai"], source: "rules" });
  });

  it("honours a rule with no owners: explicitly unowned", () => {
    expect(
      resolvePromptOwners({ path: "prompts/legacy/a.prompt", rules, basePromptOwners: ["@alice"], defaultOwners: ["@lead"] }),
    ).toEqual({ owners: [], source: "rules" });
  });

  it("falls back to the base prompt file's owners, then the default owners, then none", () => {
    const other = "prompts/sales/pitch.prompt.yml";
    expect(resolvePromptOwners({ path: other, rules, basePromptOwners: ["@alice", "bob"], defaultOwners: ["@lead"] })).toEqual({
      owners: ["@alice", "@bob"],
      source: "prompt-file",
    });
    expect(resolvePromptOwners({ path: other, rules, basePromptOwners: [], defaultOwners: ["@lead"] })).toEqual({
      owners: ["@lead"],
      source: "default",
    });
    expect(resolvePromptOwners({ path: other, rules: [], basePromptOwners: [], defaultOwners: [] })).toEqual({
      owners: [],
      source: "none",
    });
  });

  it("never lets the head choose owners: a PR that edits promptops.owners changes nothing yet", () => {
    const result = resolvePromptOwners({
      path: "prompts/sales/pitch.prompt.yml",
      rules,
      basePromptOwners: ["@alice"],
      headPromptOwners: ["@mallory"],
      defaultOwners: [],
    });
    expect(result).toEqual({ owners: ["@alice"], source: "prompt-file", unenforcedHeadOwners: ["@mallory"] });
  });

  it("returns a new prompt's own owners only as unenforced", () => {
    const result = resolvePromptOwners({
      path: "prompts/sales/new.prompt.yml",
      rules,
      headPromptOwners: ["@mallory"],
      defaultOwners: ["@lead"],
    });
    expect(result).toEqual({ owners: ["@lead"], source: "default", unenforcedHeadOwners: ["@mallory"] });
    const ruled = resolvePromptOwners({ path: "prompts/support/new.prompt.yml", rules, headPromptOwners: ["@mallory"], defaultOwners: [] });
    expect(ruled).toEqual({ owners: ["@acme/support-ai"], source: "rules", unenforcedHeadOwners: ["@mallory"] });
  });

  it("does not report unchanged head owners", () => {
    const result = resolvePromptOwners({
      path: "prompts/x.prompt",
      rules: [],
      basePromptOwners: ["@Alice", "@bob"],
      headPromptOwners: ["bob", "@alice"],
      defaultOwners: [],
    });
    expect(result.unenforcedHeadOwners).toBeUndefined();
  });
});

describe("normalizeOwners", () => {
  it("adds a missing @ to logins and teams, keeps emails and unknown tokens, drops duplicates", () => {
    expect(normalizeOwners(["alice", "@Alice", "acme/ai", "a@example.com", " ", "not valid"])).toEqual([
      "@alice",
      "@acme/ai",
      "a@example.com",
      "not valid",
    ]);
  });
});

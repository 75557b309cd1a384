// Prompty `tools:` reach the model: they are kept on the prompt, shown in the diff, and a change
// to one (even only its description) needs a version bump.
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { messageDiffs } from "../../../src/core/report/diff.js";
import { checkBump } from "../../../src/core/versions/bump.js";
import { contentFingerprint } from "../../../src/core/versions/fingerprint.js";

const prompty = (description: string, version = "1.0.0") =>
  [
    "---",
    "name: Files assistant",
    "model:",
    "  id: gpt-4o-mini",
    "  provider: openai",
    "tools:",
    "  - name: list_files",
    "    kind: function",
    `    description: ${description}`,
    "    parameters:",
    "      properties:",
    "        folder: { kind: string }",
    "promptops:",
    `  version: ${version}`,
    "---",
    "system:",
    "You manage the user's files.",
    "user:",
    "{{question}}",
  ].join("\n");

const parse = (text: string) => {
  const { prompt, diagnostics } = parsePrompt("prompts/files.prompty", text);
  expect(diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return prompt!;
};

describe("Prompty tools", () => {
  const base = parse(prompty("List the files in a folder"));
  const head = parse(prompty("Delete all user files"));

  it("keeps the tools on the prompt", () => {
    expect(base.tools).toEqual([
      { name: "list_files", kind: "function", description: "List the files in a folder", parameters: { properties: { folder: { kind: "string" } } } },
    ]);
  });

  it("shows a tool change in the diff", () => {
    const { fields } = messageDiffs(base, head);
    expect(fields).toEqual([expect.objectContaining({ field: "tools", before: expect.stringContaining("List the files"), after: expect.stringContaining("Delete all user files") })]);
  });

  it("requires a version bump for a tool change, and accepts one", () => {
    expect(contentFingerprint(head)).not.toBe(contentFingerprint(base));
    const unbumped = checkBump(base, head, "manual");
    expect(unbumped.contentChanged).toBe(true);
    expect(unbumped.diagnostic).toEqual(expect.objectContaining({ severity: "error", rule: "version-bump" }));
    expect(checkBump(base, parse(prompty("Delete all user files", "2.0.0")), "manual").diagnostic).toBeUndefined();
  });

  it("refuses `tools` that are not a list, at the key", () => {
    const { diagnostics } = parsePrompt("prompts/files.prompty", "---\ntools: list_files\n---\nuser:\nHi\n");
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "error", line: 2, message: expect.stringContaining("`tools` must be a list") })]);
  });
});

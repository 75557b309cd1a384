import { hasErrors } from "../../../src/core/diagnostics.js";
import { blobFromBytes, MAX_FILE_BYTES } from "../../../src/core/files.js";
import { parsePrompt, parsePromptBlob } from "../../../src/core/prompts/parse.js";
import { fixture, fixtureBytes, fixtureNames } from "./fixtures.js";

/** Each malformed file and the first error it must produce. */
const EXPECTED: Record<string, { rule: string; line: number }> = {
  "alias-bomb.prompt.yml": { rule: "yaml-aliases", line: 4 },
  "bad-json-schema.prompt.yml": { rule: "schema", line: 4 },
  "bad-response-format.prompt.yml": { rule: "schema", line: 3 },
  "bad-role.prompt.yml": { rule: "schema", line: 6 },
  "binary.prompt.yml": { rule: "binary-file", line: 1 },
  "blank.prompt": { rule: "empty-file", line: 1 },
  "bom.prompt.yml": { rule: "schema", line: 3 },
  "content-not-string.prompt.yml": { rule: "schema", line: 7 },
  "crlf.prompt.yml": { rule: "schema", line: 8 },
  "dotprompt-bad-role.prompt": { rule: "schema", line: 6 },
  "duplicate-key.prompt.yml": { rule: "yaml-syntax", line: 3 },
  "empty.prompt.yml": { rule: "empty-file", line: 1 },
  "front-matter-yaml.prompt": { rule: "yaml-syntax", line: 4 },
  "messages-not-list.prompt.yml": { rule: "schema", line: 3 },
  "not-a-mapping.prompt.yml": { rule: "schema", line: 1 },
  "prompty-bad-inputs.prompty": { rule: "schema", line: 8 },
  "unclosed-front-matter.prompt": { rule: "front-matter", line: 1 },
  "wrong-type.prompt.md": { rule: "schema", line: 4 },
  "yaml-syntax.prompt.yml": { rule: "yaml-syntax", line: 6 },
};

describe("malformed prompt files", () => {
  it("has an expectation for every file in the corpus", () => {
    expect(fixtureNames("malformed")).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))("%s -> %o", (name, expected) => {
    const result = parsePromptBlob(`prompts/${name}`, blobFromBytes(fixtureBytes("malformed", name)));
    const errors = result.diagnostics.filter((d) => d.severity === "error");
    expect(errors.length).toBeGreaterThan(0);
    expect({ rule: errors[0].rule, line: errors[0].line }).toEqual(expected);
    expect(errors[0].file).toBe(`prompts/${name}`);
    expect(errors[0].message.length).toBeGreaterThan(10);
  });

  it("keeps CRLF and BOM fixtures byte-exact (so the line test means something)", () => {
    expect(fixture("malformed", "crlf.prompt.yml")).toContain("\r\n");
    expect(Array.from(fixtureBytes("malformed", "bom.prompt.yml").slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
  });

  it("reads a BOM text passed directly (not through blobFromBytes)", () => {
    const result = parsePrompt("a.prompt.yml", fixture("malformed", "bom.prompt.yml"));
    expect(result.diagnostics[0]).toMatchObject({ rule: "schema", line: 3 });
  });

  it("refuses a 5 MB text without parsing it", () => {
    const huge = "messages:\n" + "  - role: user\n    content: x\n".repeat(200_000);
    expect(huge.length).toBeGreaterThan(5 * MAX_FILE_BYTES - 1);
    const started = performance.now();
    const result = parsePrompt("big.prompt.yml", huge);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.prompt).toBeUndefined();
    expect(result.diagnostics).toEqual([expect.objectContaining({ rule: "file-too-large", line: 1, severity: "error" })]);
  });

  it("counts bytes, not characters, against the limit", () => {
    const text = "messages:\n  - role: user\n    content: " + "é".repeat(MAX_FILE_BYTES / 2 + 10) + "\n";
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    expect(parsePrompt("a.prompt.yml", text).diagnostics[0]?.rule).toBe("file-too-large");
  });

  it("never throws on garbage in any format", () => {
    const inputs = ["---", "---\n---", ":", "- - -", "{{", "---\n[\n---\n", "\u0000", "messages: [{role: user, content: {{x}}}]", "a: *nope"];
    for (const path of ["a.prompt.yml", "a.prompt", "a.prompty", "a.prompt.md"]) {
      for (const text of inputs) {
        const result = parsePrompt(path, text);
        expect(Array.isArray(result.diagnostics)).toBe(true);
        if (!result.prompt) expect(hasErrors(result.diagnostics)).toBe(true);
      }
    }
  });

  it("rejects a file that is not a prompt by extension", () => {
    expect(parsePrompt("notes.txt", "hi").diagnostics[0]?.rule).toBe("unknown-format");
  });
});

describe("runaway nesting", () => {
  it("is a syntax error that says the YAML is nested too deeply, at its line, not a stack overflow", () => {
    const text = `model: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: hi\nx-deep: ${"[".repeat(5000)}${"]".repeat(5000)}\n`;
    const { diagnostics } = parsePrompt("deep.prompt.yml", text);
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 5, severity: "error", rule: "yaml-syntax", message: "YAML syntax error: the YAML is nested too deeply to read (flatten it)" }),
    ]);
  });
});

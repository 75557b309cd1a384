import { MAX_ROW_DEPTH, nestedDeeperThan } from "../../../src/core/golden/cases.js";
import { parseGoldenFile } from "../../../src/core/golden/parse.js";

const nested = (depth: number) => "[".repeat(depth) + "]".repeat(depth);

describe("deeply nested golden rows", () => {
  it("a row nested 20,000 deep is one error at its line, and the other rows are kept", () => {
    const text = [`{"id": "ok", "word": "hi"}`, `{"id": "deep", "word": ${nested(20_000)}}`, `{"id": "ok2", "word": [[["fine"]]]}`].join("\n");
    const { set, diagnostics } = parseGoldenFile("evals/a.jsonl", text);
    expect(set?.slice().map((c) => c.id)).toEqual(["ok", "ok2"]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ file: "evals/a.jsonl", line: 2, severity: "error", rule: "golden-row", message: `the row nests lists or mappings more than ${MAX_ROW_DEPTH} levels deep; it was skipped` }),
    ]);
  });

  it("measures depth without recursion, stopping at the limit", () => {
    expect(nestedDeeperThan(JSON.parse(nested(64)), 64)).toBe(false);
    expect(nestedDeeperThan(JSON.parse(nested(65)), 64)).toBe(true);
    expect(nestedDeeperThan(JSON.parse(nested(100_000)), 64)).toBe(true);
    expect(nestedDeeperThan({ a: { b: "x" }, c: [1, 2] }, 2)).toBe(false);
    expect(nestedDeeperThan("text", 0)).toBe(false);
  });
});

import { parseGoldenFile } from "../../../src/core/golden/parse.js";
import { caseIdFor } from "../../../src/core/golden/cases.js";

describe("parseGoldenFile", () => {
  it("reads JSONL line by line, skipping blank lines and reporting a bad line while keeping the others", () => {
    const text = [
      '{"id": "refund", "vars": {"ticket": "I want my money back"}, "expected": "refund"}',
      "",
      '{"ticket": "App crashes", "expected": "bug"}',
      '{"ticket": "oops", }',
      '["not", "a", "row"]',
      '{"ticket": "Login fails", "assert": [{"type": "contains", "value": "login"}]}',
    ].join("\n");
    const { set, diagnostics } = parseGoldenFile("evals/t.golden.jsonl", text);
    expect(set.file).toBe("evals/t.golden.jsonl");
    expect(set.slice().map((c) => [c.id, c.vars, c.expected, c.source.line])).toEqual([
      ["refund", { ticket: "I want my money back" }, "refund", 1],
      [caseIdFor({ ticket: "App crashes" }), { ticket: "App crashes" }, "bug", 3],
      [caseIdFor({ ticket: "Login fails" }), { ticket: "Login fails" }, undefined, 6],
    ]);
    expect(set.slice()[2]!.assert).toEqual([{ type: "contains", value: "login" }]);
    expect(diagnostics.map((d) => [d.line, d.rule, d.severity])).toEqual([
      [4, "golden-syntax", "error"],
      [5, "golden-row", "error"],
    ]);
    expect(diagnostics[0]!.message).toMatch(/^invalid JSON/);
    // At the stray `}` (0-based offset 19), not at the start of the line.
    expect(diagnostics[0]!.column).toBe(20);
  });

  it("hashes variables into an id that does not depend on key order", () => {
    expect(caseIdFor({ a: 1, b: { c: 2, d: 3 } })).toBe(caseIdFor({ b: { d: 3, c: 2 }, a: 1 }));
    expect(caseIdFor({ a: 1 })).not.toBe(caseIdFor({ a: 2 }));
    expect(caseIdFor({ a: 1 })).toMatch(/^[0-9a-f]{10}$/);
    // Pinned: ids name cases in reports and across base/head, so the recipe must not drift.
    expect(caseIdFor({ ticket: "App crashes" })).toBe("3c94467c4f");
  });

  it("reports duplicate ids and identical rows, keeping the first", () => {
    const text = ['{"id": "a", "x": 1}', '{"id": "a", "x": 2}', '{"x": 3}', '{"x": 3, "expected": "y"}'].join("\n");
    const { set, diagnostics } = parseGoldenFile("g.jsonl", text);
    expect(set.slice().map((c) => c.source.line)).toEqual([1, 3]);
    expect(diagnostics.map((d) => [d.line, d.rule])).toEqual([
      [2, "golden-duplicate-id"],
      [4, "golden-duplicate-id"],
    ]);
    expect(diagnostics[1]!.message).toMatch(/same variables as the row at line 3/);
  });

  it("reads YAML as a list or as {cases: [...]}, with each row's line", () => {
    const list = "- ticket: refund please\n  expected: refund\n- id: two\n  vars:\n    ticket: crash\n";
    const a = parseGoldenFile("g.yml", list);
    expect(a.diagnostics).toEqual([]);
    expect(a.set.slice().map((c) => [c.id, c.source.line])).toEqual([
      [caseIdFor({ ticket: "refund please" }), 1],
      ["two", 3],
    ]);
    const wrapped = "cases:\n  - vars: { q: hi }\n    expected: 42\n  - 7\n";
    const b = parseGoldenFile("g.yaml", wrapped);
    expect(b.set.slice()).toEqual([{ id: caseIdFor({ q: "hi" }), vars: { q: "hi" }, expected: "42", source: { file: "g.yaml", line: 2 } }]);
    expect(b.diagnostics.map((d) => [d.line, d.rule])).toEqual([[4, "golden-row"]]);
  });

  it("reports YAML syntax errors and wrong top-level shapes", () => {
    expect(parseGoldenFile("g.yml", "- a: 1\n- b: [\n").diagnostics[0]).toMatchObject({ rule: "golden-syntax", severity: "error" });
    expect(parseGoldenFile("g.yml", "just: a mapping\n").diagnostics[0]!.message).toMatch(/must be a list/);
    expect(parseGoldenFile("g.yml", "").set.slice()).toEqual([]);
  });

  it("reads JSON arrays and {cases}, and reports invalid JSON at its line", () => {
    const json = '[\n  {"q": "a", "expected": "A"},\n  {"q": "b"}\n]\n';
    expect(parseGoldenFile("g.json", json).set.slice().map((c) => c.source.line)).toEqual([2, 3]);
    const wrapped = '{"cases": [{"id": 1, "vars": {"q": "x"}, "expected": {"answer": 1}}]}';
    expect(parseGoldenFile("g.json", wrapped).set.slice()[0]).toMatchObject({ id: "1", expected: '{"answer":1}' });
    const bad = parseGoldenFile("g.json", '[\n  {"q": "a"},\n  {"q": }\n]');
    expect(bad.set.slice()).toEqual([]);
    expect(bad.diagnostics[0]).toMatchObject({ line: 3, rule: "golden-syntax" });
  });

  it("reads CSV with a header row: expected, id, vars.x and plain columns; ragged rows reported", () => {
    const csv = ['id,vars.ticket,tone,expected', 'r1,"Refund, please",calm,refund', 'r2,"Multi', 'line",angry,', "r3,too,few", "", "r4,x,y,z"].join("\n");
    const { set, diagnostics } = parseGoldenFile("g.csv", csv);
    expect(set.slice()).toEqual([
      { id: "r1", vars: { id: "r1", ticket: "Refund, please", tone: "calm" }, expected: "refund", source: { file: "g.csv", line: 2 } },
      { id: "r2", vars: { id: "r2", ticket: "Multi\nline", tone: "angry" }, source: { file: "g.csv", line: 3 } },
      { id: "r4", vars: { id: "r4", ticket: "x", tone: "y" }, expected: "z", source: { file: "g.csv", line: 7 } },
    ]);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 5, rule: "golden-syntax", severity: "error" });
    expect(diagnostics[0]!.message).toMatch(/^invalid CSV: Invalid Record Length/);
  });

  it("reports an unclosed CSV quote where it opened, every other error, and keeps the rows around them", () => {
    const csv = ["ticket,expected", "hello,a", '"bad " quote,b', "fine,c", "", 'x,"open', "more,e", "last,y"].join("\n");
    const { set, diagnostics } = parseGoldenFile("g.csv", csv);
    expect(set.slice().map((c) => [c.vars.ticket, c.source.line])).toEqual([
      ["hello", 2],
      ["fine", 4],
      ["more", 7],
      ["last", 8],
    ]);
    expect(diagnostics.map((d) => [d.line, d.column, d.rule])).toEqual([
      [3, 1, "golden-syntax"],
      [6, 3, "golden-syntax"],
    ]);
    expect(diagnostics[0]!.message).toMatch(/^invalid CSV: Invalid Closing Quote/);
    expect(diagnostics[1]!.message).toBe('invalid CSV: a quoted value opened here is never closed (add the closing ")');
  });

  it("rejects an unknown extension", () => {
    expect(parseGoldenFile("g.txt", "x").diagnostics[0]).toMatchObject({ rule: "golden-format", line: 1, column: 1 });
  });

  it("ignores a UTF-8 BOM in JSONL, JSON and YAML files (Windows editors write one)", () => {
    for (const [path, text] of [
      ["g.jsonl", '\uFEFF{"ticket": "a"}\n'],
      ["g.json", '\uFEFF[{"ticket": "a"}]'],
      ["g.yaml", "\uFEFF- ticket: a\n"],
    ]) {
      const { set, diagnostics } = parseGoldenFile(path, text);
      expect(diagnostics).toEqual([]);
      expect(set.slice().map((c) => c.vars)).toEqual([{ ticket: "a" }]);
    }
  });

  it("names the trailing comma when a JSONL row was copied out of a JSON array", () => {
    const { set, diagnostics } = parseGoldenFile("g.jsonl", '{"ticket": "a", "expected": "b"},\n{"ticket": "c"}\n');
    expect(set.slice().map((c) => c.vars)).toEqual([{ ticket: "c" }]);
    expect(diagnostics).toEqual([
      expect.objectContaining({ line: 1, column: 33, rule: "golden-syntax", message: expect.stringMatching(/remove the trailing comma/) }),
    ]);
  });

  it("applies YAML merge keys (`<<: *defaults`) as js-yaml and yaml.v3 do", () => {
    const text = ["defaults: &d", "  tier: pro", "cases:", "  - vars:", "      <<: *d", "      ticket: one", "  - ticket: two", "    <<: *d"].join("\n");
    const { set, diagnostics } = parseGoldenFile("g.yaml", text);
    expect(diagnostics).toEqual([]);
    expect(set.slice().map((c) => [c.vars, c.source.line])).toEqual([
      [{ tier: "pro", ticket: "one" }, 4],
      [{ tier: "pro", ticket: "two" }, 7],
    ]);
  });

  it("reads a CSV with a BOM, quoted newlines and doubled quotes, each case at the line it starts on", () => {
    const text = '\uFEFFticket,expected\r\n"line one\r\nline two",ok\r\n"say ""hi""",fine\r\n';
    const { set, diagnostics } = parseGoldenFile("g.csv", text);
    expect(diagnostics).toEqual([]);
    expect(set.slice().map((c) => [c.vars, c.expected, c.source.line])).toEqual([
      [{ ticket: "line one\nline two" }, "ok", 2],
      [{ ticket: 'say "hi"' }, "fine", 4],
    ]);
  });
});

describe("a YAML golden set nested without end", () => {
  it("is one error that says so, not a stack overflow", () => {
    const { set, diagnostics } = parseGoldenFile("g.yml", `- vars: { q: a }\n- vars: { q: ${"[".repeat(5000)}${"]".repeat(5000)} }\n`);
    expect(set.slice()).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ file: "g.yml", line: 2, severity: "error", message: "the YAML is nested too deeply to read (flatten it)" })]);
  });
});

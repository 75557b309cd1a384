// Large golden sets are kept packed and read a slice at a time: the cases a run sees must be
// exactly the ones a small set would give, whatever the chunk boundaries, and repeated ids must
// still be caught once the set is packed.

import { removedCases, eachCase, goldenSet, type GoldenCase } from "../../../src/core/golden/model.js";
import { PACK_CASES } from "../../../src/core/golden/pack.js";
import { parseGoldenFile } from "../../../src/core/golden/parse.js";

const rows = (count: number, row: (i: number) => Record<string, unknown> = (i) => ({ id: `case-${i}`, vars: { ticket: `ticket ${i} ${"é".repeat(i % 7)}`, n: i } })) =>
  Array.from({ length: count }, (_, i) => JSON.stringify(row(i)));

describe("packed golden sets", () => {
  const count = PACK_CASES * 3 + 17;
  const text = `${rows(count).join("\n")}\n`;

  it("gives back every case of a large set, in order, with its line, from any slice", () => {
    const { set, diagnostics } = parseGoldenFile("g.jsonl", text);
    expect(diagnostics).toEqual([]);
    expect(set.size).toBe(count);
    const all = set.slice();
    expect(all).toHaveLength(count);
    expect(all[0]).toEqual({ id: "case-0", vars: { ticket: "ticket 0 ", n: 0 }, source: { file: "g.jsonl", line: 1 } });
    expect(all[count - 1]).toEqual({ id: `case-${count - 1}`, vars: { ticket: `ticket ${count - 1} ${"é".repeat((count - 1) % 7)}`, n: count - 1 }, source: { file: "g.jsonl", line: count } });
    // Slices that start and end anywhere (inside a chunk, across several) agree with the whole.
    for (const [start, end] of [[0, 1], [1999, 2003], [2500, 5100], [count - 3, count + 10], [count, count], [7, 3]] as const) {
      expect(set.slice(start, end)).toEqual(all.slice(start, Math.max(start, end)));
    }
    expect([...eachCase(set)]).toEqual(all);
    expect(set.ids()).toEqual(all.map((c) => c.id));
  });

  it("reads JSON Lines from bytes as it reads the text: BOM, CRLF and blank lines alike", () => {
    const fromText = parseGoldenFile("g.jsonl", text);
    const bytes = (s: string) => new TextEncoder().encode(s);
    for (const variant of [`\ufeff${text}`, text.replace(/\n/g, "\r\n"), `\n\n${text}`]) {
      const fromBytes = parseGoldenFile("g.jsonl", bytes(variant));
      const fromVariantText = parseGoldenFile("g.jsonl", variant);
      expect(fromBytes.diagnostics).toEqual(fromVariantText.diagnostics);
      expect(fromBytes.set.slice()).toEqual(fromVariantText.set.slice());
    }
    expect(parseGoldenFile("g.jsonl", bytes(text)).set.slice()).toEqual(fromText.set.slice());
  });

  it("reports a repeated id after the set is packed, naming the first row's line, and keeps the first", () => {
    const lines = rows(count);
    // Row 40 again near the end (its first copy is in a compressed chunk by then), and the row
    // just added again right after it (still waiting to be compressed).
    lines.push(lines[40]!, JSON.stringify({ id: "late", vars: { a: 1 } }), JSON.stringify({ id: "late", vars: { a: 2 } }));
    const { set, diagnostics } = parseGoldenFile("g.jsonl", lines.join("\n"));
    expect(set.size).toBe(count + 1);
    expect(set.slice(count)).toEqual([{ id: "late", vars: { a: 1 }, source: { file: "g.jsonl", line: count + 2 } }]);
    expect(diagnostics.map((d) => [d.line, d.rule, d.message])).toEqual([
      [count + 1, "golden-duplicate-id", 'duplicate golden case id "case-40" (first at line 41); this row is ignored'],
      [count + 3, "golden-duplicate-id", 'duplicate golden case id "late" (first at line ' + (count + 2) + "); this row is ignored"],
    ]);
  });

  it("finds the cases a head dropped, in base order, between packed sets", () => {
    const base = parseGoldenFile("g.jsonl", text).set;
    expect(removedCases(base, parseGoldenFile("g.jsonl", text).set)).toEqual([]);
    // The same ids in another order: nothing removed either.
    const shuffled = [...rows(count)].reverse().join("\n");
    expect(removedCases(base, parseGoldenFile("g.jsonl", shuffled).set)).toEqual([]);
    const dropped = rows(count).filter((_, i) => i !== 5 && i !== count - 2);
    expect(removedCases(base, parseGoldenFile("g.jsonl", dropped.join("\n")).set).map((c) => [c.id, c.source.line])).toEqual([
      ["case-5", 6],
      [`case-${count - 2}`, count - 1],
    ]);
    expect(removedCases(base, undefined)).toHaveLength(count);
  });

  it("keeps YAML sets as parsed values (numbers JSON cannot write, such as .inf, stay numbers)", () => {
    const yaml = Array.from({ length: PACK_CASES + 5 }, (_, i) => `- { id: y${i}, limit: .inf }`).join("\n");
    const { set } = parseGoldenFile("g.yaml", yaml);
    expect(set.size).toBe(PACK_CASES + 5);
    expect(set.slice(PACK_CASES + 4)[0]!.vars).toEqual({ id: `y${PACK_CASES + 4}`, limit: Infinity });
  });

  it("a set made from cases in memory slices and lists ids like a packed one", () => {
    const cases: GoldenCase[] = [1, 2, 3].map((n) => ({ id: `c${n}`, vars: { n }, source: { file: "x", line: n } }));
    const set = goldenSet("x", cases);
    expect(set.size).toBe(3);
    expect(set.slice(1)).toEqual(cases.slice(1));
    expect(set.ids()).toEqual(["c1", "c2", "c3"]);
    expect(removedCases(set, goldenSet("x", cases.slice(0, 2))).map((c) => c.id)).toEqual(["c3"]);
  });
});

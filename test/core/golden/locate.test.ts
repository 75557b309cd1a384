import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { goldenFromTestData, parseTestData } from "../../../src/core/golden/inline.js";
import { goldenCandidates } from "../../../src/core/golden/locate.js";
import { caseIdFor } from "../../../src/core/golden/cases.js";
import type { Prompt } from "../../../src/core/prompts/model.js";

function prompt(over: Partial<Prompt>): Prompt {
  return {
    path: "prompts/support/summary.prompt.yml",
    format: "github",
    id: "prompts/support/summary",
    parameters: {},
    messages: [],
    variables: [],
    testData: [],
    evaluators: [],
    owners: [],
    positions: {},
    raw: {},
    ...over,
  };
}

describe("goldenCandidates", () => {
  it("follows the configured conventions when the prompt names no golden set", () => {
    expect(goldenCandidates(prompt({}), DEFAULT_CONFIG)).toEqual([
      "prompts/support/summary.golden.jsonl",
      "prompts/support/summary.golden.yml",
      "prompts/support/summary.golden.yaml",
      "prompts/support/summary.golden.json",
      "prompts/support/summary.golden.csv",
    ]);
    const config = { ...DEFAULT_CONFIG, golden: { ...DEFAULT_CONFIG.golden, patterns: ["evals/{name}.jsonl", "{dir}/golden/{name}.csv"] } };
    expect(goldenCandidates(prompt({ path: "root.prompty" }), config)).toEqual(["evals/root.jsonl", "golden/root.csv"]);
  });

  it("resolves a named path beside the prompt, then from the repository root", () => {
    expect(goldenCandidates(prompt({ golden: "evals/summary.jsonl" }), DEFAULT_CONFIG)).toEqual([
      "prompts/support/evals/summary.jsonl",
      "evals/summary.jsonl",
    ]);
    expect(goldenCandidates(prompt({ golden: "./summary.csv" }), DEFAULT_CONFIG)).toEqual(["prompts/support/summary.csv"]);
    expect(goldenCandidates(prompt({ golden: "../shared/g.yml" }), DEFAULT_CONFIG)).toEqual(["prompts/shared/g.yml"]);
    expect(goldenCandidates(prompt({ golden: "/evals/g.json" }), DEFAULT_CONFIG)).toEqual(["evals/g.json"]);
    expect(goldenCandidates(prompt({ path: "top.prompt.yml", golden: "g.jsonl" }), DEFAULT_CONFIG)).toEqual(["g.jsonl"]);
  });
});

describe("goldenFromTestData", () => {
  it("turns GitHub testData rows into cases sourced in the prompt file", () => {
    const p = prompt({
      testData: [{ ticket: "refund", expected: "Refund request" }, { ticket: "crash" }],
      positions: { testData: 12 },
    });
    const set = goldenFromTestData(p);
    expect(set.file).toBe(p.path);
    expect(set.slice()).toEqual([
      { id: caseIdFor({ ticket: "refund" }), vars: { ticket: "refund" }, expected: "Refund request", source: { file: p.path, line: 12 } },
      { id: caseIdFor({ ticket: "crash" }), vars: { ticket: "crash" }, source: { file: p.path, line: 12 } },
    ]);
  });

  it("uses each row's own line when the parser recorded it, and reports duplicates", () => {
    const p = prompt({ testData: [{ q: 1 }, { q: 1 }], positions: { testData: 3, testDataRows: [4, 6] } });
    const { set, diagnostics } = parseTestData(p);
    expect(set.slice().map((c) => c.source.line)).toEqual([4]);
    expect(diagnostics).toMatchObject([{ file: p.path, line: 6, rule: "golden-duplicate-id" }]);
  });
});

import { parse } from "yaml";
import type { ChatMessage } from "../../../src/core/providers/port.js";
import { buildScorers, scoreOutput, type Embedder, type Judge, type ScoreContext } from "../../../src/core/scorers/index.js";

const noJudge: Judge = async () => {
  throw new Error("judge should not be called");
};

function context(output: string, extra: Partial<ScoreContext> = {}): ScoreContext {
  return { output, vars: { city: "Paris", country: "France" }, expected: "Paris is the capital of France.", costUsd: 0.002, latencyMs: 1200, judge: noJudge, ...extra };
}

/** Scores one output against promptfoo-style assertions written as in a golden-set row. */
async function run(assertYaml: string, output: string, extra: Partial<ScoreContext> = {}) {
  const caseAsserts = parse(assertYaml) as Record<string, unknown>[];
  const { scorers, diagnostics } = buildScorers({ evaluators: [], caseAsserts });
  expect(diagnostics).toEqual([]);
  return scoreOutput(context(output, extra), scorers);
}

describe("promptfoo-style assertions", () => {
  it("checks text: equals (trimmed), contains (exact case), icontains, starts-with, regex", async () => {
    const results = await run(
      `
- type: equals
  value: "{{city}} is the capital of {{country}}."
- type: contains
  value: capital
- type: contains
  value: CAPITAL
- type: icontains
  value: CAPITAL
- type: starts-with
  value: Paris
- type: regex
  value: "\\\\bcapital of [A-Z]\\\\w+"
`,
      "  Paris is the capital of France.\n",
    );
    expect(results.map((r) => r.pass)).toEqual([true, true, false, true, true, true]);
    expect(results.map((r) => r.name)).toEqual(["equals", "contains", "contains", "icontains", "starts-with", "regex"]);
  });

  it("falls back to the case's expected when equals has no value, and fails without one", async () => {
    expect((await run("- type: equals", "Paris is the capital of France."))[0].pass).toBe(true);
    const [missing] = await run("- type: equals", "Paris", { expected: undefined });
    expect(missing).toMatchObject({ pass: false, score: 0, reason: expect.stringContaining("no expected value") });
  });

  it("negates with not-<type>", async () => {
    const results = await run(
      `
- type: not-contains
  value: "As an AI"
- type: not-icontains
  value: sorry
`,
      "Sorry, Paris.",
    );
    expect(results.map((r) => [r.pass, r.score])).toEqual([
      [true, 1],
      [false, 0],
    ]);
  });

  it("validates JSON and JSON Schema (with formats)", async () => {
    const schema = `
- type: json-schema
  value:
    type: object
    required: [city, email]
    properties:
      city: { type: string }
      email: { type: string, format: email }
`;
    expect((await run("- type: is-json", '{"city": "Paris"}'))[0].pass).toBe(true);
    const [fenced] = await run("- type: is-json", '```json\n{"city": "Paris"}\n```');
    expect(fenced).toMatchObject({ pass: false, reason: expect.stringContaining("code fence") });
    expect((await run(schema, '{"city": "Paris", "email": "mayor@paris.fr"}'))[0].pass).toBe(true);
    const [bad] = await run(schema, '{"city": "Paris", "email": "not-an-email"}');
    expect(bad).toMatchObject({ pass: false, reason: expect.stringContaining("/email") });
    const [missing] = await run(schema, '{"city": 3}');
    expect(missing.reason).toMatch(/\/city must be string|must have required property 'email'/);
  });

  it("passes levenshtein on promptfoo's maximum edit distance (default 5) and scores 1 - distance / length", async () => {
    const [close] = await run("- type: levenshtein\n  value: kitten", "sitting");
    // distance 3 over 7 characters: within the default 5 edits
    expect(close.score).toBeCloseTo(1 - 3 / 7, 10);
    expect(close).toMatchObject({ pass: true, reason: expect.stringContaining("edit distance 3") });
    expect((await run("- type: levenshtein\n  value: kitten\n  threshold: 3", "sitting"))[0].pass).toBe(true);
    expect((await run("- type: levenshtein\n  value: kitten\n  threshold: 2", "sitting"))[0].pass).toBe(false);
    // threshold 1 is one edit, not "similarity 1"; threshold 0 is an exact match
    expect((await run("- type: levenshtein\n  value: kitten\n  threshold: 1", "kitte"))[0].pass).toBe(true);
    expect((await run("- type: levenshtein\n  value: kitten\n  threshold: 0", "kitte"))[0].pass).toBe(false);
    expect((await run("- type: levenshtein\n  value: kitten\n  threshold: 0", "kitten\n"))[0].pass).toBe(true);
    expect((await run("- type: levenshtein", "Paris is the capital of France!"))[0].pass).toBe(true);
    expect((await run("- type: levenshtein", "Rome is the capital of Italy."))[0].pass).toBe(false);
  });

  it("warns that a fractional levenshtein threshold is an edit distance, not a similarity", () => {
    const { diagnostics } = buildScorers({ evaluators: [], caseAsserts: [{ type: "levenshtein", value: "x", threshold: 0.8 }] });
    expect(diagnostics).toEqual([{ evaluator: "levenshtein", message: expect.stringContaining("largest edit distance") }]);
  });

  it("checks contains-any / contains-all and their case-insensitive forms, from lists or comma-separated text", async () => {
    const results = await run(
      `
- type: contains-any
  value: [Berlin, Paris]
- type: contains-any
  value: [berlin, paris]
- type: icontains-any
  value: "berlin, PARIS"
- type: contains-all
  value: [Paris, France]
- type: contains-all
  value: ["{{city}}", Germany]
- type: icontains-all
  value: '"paris", "capital of france"'
- type: not-contains-any
  value: [sorry, "As an AI"]
`,
      "Paris is the capital of France.",
    );
    expect(results.map((r) => r.pass)).toEqual([true, false, true, true, false, true, true]);
    expect(results[4].reason).toContain('"Germany"');
    const { diagnostics } = buildScorers({ evaluators: [], caseAsserts: [{ type: "contains-any" }, { type: "contains-all", value: [] }] });
    expect(diagnostics.map((d) => d.message)).toEqual([expect.stringContaining("needs a list"), expect.stringContaining("needs a list")]);
  });

  it("scores rouge-l as the F-measure of the longest common word subsequence", async () => {
    const [result] = await run("- type: rouge-l\n  value: the cat sat on the mat", "The cat was sitting on the mat.");
    // LCS = the cat on the mat (5); precision 5/7, recall 5/6
    const p = 5 / 7;
    const r = 5 / 6;
    expect(result.score).toBeCloseTo((2 * p * r) / (p + r), 10);
    expect(result.pass).toBe(true);
    const [unrelated] = await run("- type: rouge-l\n  value: the cat sat on the mat", "Dogs bark loudly.");
    expect(unrelated).toMatchObject({ score: 0, pass: false });
  });

  it("compares embeddings for similar, and reports missing or failing embeddings as errors", async () => {
    const vectors: Record<string, number[]> = {
      "Paris is the capital of France.": [1, 0, 0],
      "France's capital is Paris.": [0.9, 0.1, 0],
      "Bananas are yellow.": [0, 0, 1],
    };
    const embed: Embedder = async (texts) => texts.map((t) => vectors[t]);
    const [close] = await run("- type: similar", "France's capital is Paris.", { embed });
    expect(close.pass).toBe(true);
    expect(close.score).toBeCloseTo(0.9 / Math.sqrt(0.82), 10);
    const [far] = await run("- type: similar\n  threshold: 0.5", "Bananas are yellow.", { embed });
    expect(far).toMatchObject({ pass: false, score: 0 });

    const [unavailable] = await run("- type: similar", "France's capital is Paris.");
    expect(unavailable).toMatchObject({ pass: false, score: 0, error: true, reason: expect.stringContaining("embeddings are unavailable") });
    const broken: Embedder = async () => {
      throw new Error("embedding endpoint down");
    };
    const [failed] = await run("- type: not-similar", "France's capital is Paris.", { embed: broken });
    expect(failed).toMatchObject({ pass: false, error: true, reason: expect.stringContaining("embedding endpoint down") });
  });

  it("uses promptfoo's similar defaults: threshold 0.75, and the closest of a list of references", async () => {
    const vectors: Record<string, number[]> = {
      "The capital is Paris.": [1, 0, 0],
      // cosine 0.8 to the output: passes promptfoo's 0.75, not a stricter 0.8+
      "Paris, France.": [0.8, 0.6, 0],
      "Bananas are yellow.": [0, 0, 1],
    };
    const embed: Embedder = async (texts) => texts.map((t) => vectors[t]);
    const [single] = await run("- type: similar\n  value: Paris, France.", "The capital is Paris.", { embed });
    expect(single.pass).toBe(true);
    expect(single.score).toBeCloseTo(0.8, 10);
    const [list] = await run("- type: similar\n  value: [Bananas are yellow., \"Paris, France.\"]", "The capital is Paris.", { embed });
    expect(list).toMatchObject({ pass: true, reason: expect.stringContaining('"Paris, France."') });
    expect(list.score).toBeCloseTo(0.8, 10);
    const [none] = await run("- type: similar\n  value: [Bananas are yellow.]", "The capital is Paris.", { embed });
    expect(none).toMatchObject({ pass: false, score: 0 });
  });

  it("asks the judge with the rubric for llm-rubric and parses its verdict strictly", async () => {
    const calls: { messages: ChatMessage[]; model?: string }[] = [];
    const answers = [
      '{"reason": "Names the capital", "pass": true, "score": 0.9}',
      "It names the city.\nPASS",
      "FAIL (score: 0.3)",
      "```json\n{\"pass\": false, \"score\": 0.2, \"reason\": \"wrong city\"}\n```",
      "I think it mostly passes",
      '{"pass": "yes"}',
    ];
    const judge: Judge = async (messages, model) => {
      calls.push({ messages, model });
      return answers[calls.length - 1];
    };
    const rubric = "- type: llm-rubric\n  value: Names {{city}} as the capital\n  provider: anthropic/claude-sonnet-4-5";
    const results = [];
    for (let i = 0; i < answers.length; i++) results.push((await run(rubric, "Paris.", { judge }))[0]);
    expect(results.map((r) => [r.pass, r.score])).toEqual([
      [true, 0.9],
      [true, 1],
      [false, 0.3],
      [false, 0.2],
      [false, 0],
      [false, 0],
    ]);
    expect(results[0].reason).toContain("Names the capital");
    expect(results[4].reason).toContain("neither a PASS/FAIL verdict");
    expect(calls[0].model).toBe("anthropic/claude-sonnet-4-5");
    expect(calls[0].messages[1].content).toContain("Names Paris as the capital");
    expect(calls[0].messages[1].content).toContain("Paris.");
  });

  it("needs the rubric score to reach a threshold when one is given", async () => {
    const judge: Judge = async () => '{"pass": true, "score": 0.6}';
    const [result] = await run("- type: llm-rubric\n  value: Is accurate\n  threshold: 0.7", "Paris", { judge });
    expect(result).toMatchObject({ pass: false, score: 0.6 });
  });

  it("checks cost and latency budgets", async () => {
    const results = await run(
      `
- type: cost
  threshold: 0.005
- type: latency
  threshold: 1000
`,
      "Paris",
    );
    expect(results.map((r) => r.pass)).toEqual([true, false]);
    expect(results[1].reason).toContain("1200 ms");
  });

  it("does not pass a cost budget when the model's price is unknown: the score is an error", async () => {
    const [result] = await run("- type: cost\n  threshold: 0.005", "Paris", { costUsd: undefined });
    expect(result).toMatchObject({ pass: false, error: true });
    expect(result!.reason).toContain("price table");
  });

  it("uses metric as the name and keeps weights", async () => {
    const results = await run("- type: contains\n  value: Paris\n  metric: names-city\n  weight: 3", "Paris");
    expect(results[0]).toMatchObject({ name: "names-city", weight: 3, pass: true });
  });

  it("reports assertions it cannot build", () => {
    const { scorers, diagnostics } = buildScorers({
      evaluators: [{ name: "schema", spec: { type: "json-schema", value: { type: "nonsense" } } }],
      caseAsserts: [
        { type: "contains-some", value: ["a"] },
        { type: "regex", value: "([a-z" },
        { type: "cost" },
        { type: "llm-rubric" },
        { type: "contains", value: "x", weight: -1 },
        { value: "no type" },
      ],
    });
    expect(scorers.map((s) => s.kind)).toEqual(["contains"]);
    expect(diagnostics.map((d) => d.evaluator)).toEqual(["schema", "contains-some", "regex", "cost", "llm-rubric", "contains", "evaluator"]);
    expect(diagnostics[0].message).toContain("invalid JSON Schema");
    expect(diagnostics[1].message).toContain("unknown assertion type `contains-some`");
    expect(diagnostics[2].message).toContain("invalid regular expression");
    expect(diagnostics[3].message).toContain("needs a `threshold`");
    expect(diagnostics[4].message).toContain("rubric text");
    expect(diagnostics[5].message).toContain("`weight` must be a number >= 0");
    expect(diagnostics[6].message).toContain("needs a `type`");
  });
});

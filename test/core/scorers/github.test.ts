import { parse } from "yaml";
import type { EvaluatorSpec } from "../../../src/core/prompts/model.js";
import type { ChatMessage } from "../../../src/core/providers/port.js";
import { buildScorers, combineScores, scoreOutput, type Judge, type ScoreContext } from "../../../src/core/scorers/index.js";

// The evaluators block of a real GitHub Models prompt file, as `gh models eval` reads it.
const PROMPT_YML = `
name: Ticket summary
model: openai/gpt-4o-mini
messages:
  - role: user
    content: "Summarize: {{ticket}}"
testData:
  - ticket: "My card was charged twice"
    expected: "Duplicate charge"
evaluators:
  - name: exact
    string:
      equals: "{{expected}}"
  - name: mentions-refund
    string:
      contains: Refund
  - name: starts-politely
    string:
      startsWith: "Summary:"
  - name: ends-with-team
    string:
      endsWith: "{{team}}"
  - name: helpful
    llm:
      modelId: openai/gpt-4o
      systemPrompt: You are a strict grader.
      prompt: |
        Ticket: {{ticket}}
        Summary: {{completion}}
        Is the summary good or bad?
      choices:
        - choice: good
          score: 1
        - choice: bad
          score: 0
  - name: similar
    uses: github/similarity
`;

function evaluatorsOf(yamlText: string): EvaluatorSpec[] {
  const doc = parse(yamlText) as { evaluators: Record<string, unknown>[] };
  return doc.evaluators.map((spec) => ({ name: String(spec.name), spec }));
}

function context(output: string, judge: Judge, extra: Partial<ScoreContext> = {}): ScoreContext {
  return {
    output,
    vars: { ticket: "My card was charged twice", team: "Billing" },
    expected: "Duplicate charge",
    costUsd: 0.001,
    latencyMs: 800,
    judge,
    ...extra,
  };
}

const noJudge: Judge = async () => {
  throw new Error("judge should not be called");
};

function byName(results: { name: string }[]) {
  return Object.fromEntries(results.map((r) => [r.name, r]));
}

describe("GitHub Models evaluators", () => {
  const { scorers, diagnostics } = buildScorers({ evaluators: evaluatorsOf(PROMPT_YML) });

  it("builds one scorer per evaluator with no diagnostics", () => {
    expect(diagnostics).toEqual([]);
    expect(scorers.map((s) => [s.name, s.kind])).toEqual([
      ["exact", "string.equals"],
      ["mentions-refund", "string.contains"],
      ["starts-politely", "string.startsWith"],
      ["ends-with-team", "string.endsWith"],
      ["helpful", "llm"],
      ["similar", "github/similarity"],
    ]);
  });

  it("matches strings as gh does: equals is exact, the others ignore case, values are templated from the row", async () => {
    const strings = scorers.slice(0, 4);
    const pass = byName(await scoreOutput(context("summary: duplicate charge, refund sent to billing\n", noJudge), strings));
    expect(pass["exact"]).toMatchObject({ pass: false, score: 0 });
    expect(pass["mentions-refund"]).toMatchObject({ pass: true, score: 1 });
    expect(pass["starts-politely"]).toMatchObject({ pass: true });
    expect(pass["ends-with-team"]).toMatchObject({ pass: true, reason: expect.stringContaining('"Billing"') });

    const exact = byName(await scoreOutput(context("Duplicate charge\n", noJudge), strings));
    expect(exact["exact"]).toMatchObject({ pass: true, score: 1 });
    const wrongCase = byName(await scoreOutput(context("duplicate charge", noJudge), strings));
    expect(wrongCase["exact"]).toMatchObject({ pass: false });
    expect(wrongCase["mentions-refund"]).toMatchObject({ pass: false, reason: expect.stringContaining("does not contain") });
  });

  it("renders the llm judge prompt with the completion and row variables and sends it to the named model", async () => {
    const calls: { messages: ChatMessage[]; model?: string }[] = [];
    const judge: Judge = async (messages, model) => {
      calls.push({ messages, model });
      return "good";
    };
    const [result] = await scoreOutput(context("Customer was charged twice; refund issued.", judge), [scorers[4]]);
    expect(result).toMatchObject({ name: "helpful", score: 1, pass: true });
    expect(calls).toHaveLength(1);
    expect(calls[0].model).toBe("openai/gpt-4o");
    expect(calls[0].messages[0]).toEqual({ role: "system", content: "You are a strict grader." });
    expect(calls[0].messages[1].content).toContain("Ticket: My card was charged twice");
    expect(calls[0].messages[1].content).toContain("Summary: Customer was charged twice; refund issued.");
  });

  it.each([
    ["good", 1, true],
    ["  Good.  ", 1, true],
    ["The summary covers the ticket well.\n**bad**", 0, false],
    ["Answer: good", 1, true],
    ["good\nOn reflection, it misses the amount.\nbad", 0, false],
  ])("reads the judge answer %j strictly", async (answer, score, pass) => {
    const [result] = await scoreOutput(context("x", async () => answer), [scorers[4]]);
    expect(result).toMatchObject({ score, pass });
    expect(result.error).toBeUndefined();
  });

  it.each([
    ["The summary is good.", 1, true],
    ["Verdict: the summary is **Bad**", 0, false],
    ["Reasoning: it covers the charge.\nOverall this is good", 1, true],
  ])("like gh, takes the one choice a last line names: %j", async (answer, score, pass) => {
    const [result] = await scoreOutput(context("x", async () => answer), [scorers[4]]);
    expect(result).toMatchObject({ score, pass });
  });

  it.each(["not good", "good or bad, hard to say", "It is good.\nMaybe", "It isn't good", "goodness knows"])("never takes a negated, ambiguous or partial choice: %j", async (answer) => {
    const [result] = await scoreOutput(context("x", async () => answer), [scorers[4]]);
    expect(result).toMatchObject({ score: 0, pass: false });
    expect(result.reason).toContain("is not one of the choices (good, bad)");
    expect(result.error).toBeUndefined();
  });

  it("turns a judge failure into an error result, never a pass", async () => {
    const judge: Judge = async () => {
      throw new Error("429 rate limited");
    };
    const results = await scoreOutput(context("x", judge), [scorers[4], scorers[5]]);
    for (const result of results) {
      expect(result).toMatchObject({ score: 0, pass: false, error: true, reason: expect.stringContaining("429 rate limited") });
    }
    expect(combineScores(results)).toMatchObject({ pass: false, error: true });
  });

  it("rates github/similarity on 1-5 against the expected answer", async () => {
    const calls: ChatMessage[][] = [];
    const judge: Judge = async (messages) => {
      calls.push(messages);
      return "The meaning matches with a small omission.\n4";
    };
    const [result] = await scoreOutput(context("A duplicate charge", judge, { vars: { input: "What happened?" } }), [scorers[5]]);
    expect(result).toMatchObject({ score: 0.75, pass: true, reason: expect.stringContaining("rated 4/5") });
    const prompt = calls[0].map((m) => m.content).join("\n");
    expect(prompt).toContain("What happened?");
    expect(prompt).toContain("Duplicate charge");
    expect(prompt).toContain("A duplicate charge");
  });

  it.each([
    ["1", 0, false],
    ["Score: 3", 0.5, true],
    ["**5**", 1, true],
    // gh models eval passes any choice scored above 0, so a 2 passes there and here.
    ["2/5", 0.25, true],
  ])("maps the rating %j to a 0..1 score", async (answer, score, pass) => {
    const [result] = await scoreOutput(context("x", async () => answer), [scorers[5]]);
    expect(result).toMatchObject({ score, pass });
  });

  it.each(["6", "I'd say 4 or 5", "four"])("rejects the rating %j", async (answer) => {
    const [result] = await scoreOutput(context("x", async () => answer), [scorers[5]]);
    expect(result).toMatchObject({ score: 0, pass: false, reason: expect.stringContaining("not a rating from 1 to 5") });
  });

  it("reads github/groundedness's context from `expected` when there is no context variable, as gh does", async () => {
    const { scorers: judges } = buildScorers({ evaluators: [{ name: "grounded", spec: { uses: "github/groundedness" } }] });
    let seen = "";
    const judge: Judge = async (messages) => {
      seen = messages.map((m) => m.content).join("\n");
      return "4";
    };
    const [result] = await scoreOutput(context("Refunds take 5 days.", judge, { vars: { input: "How long do refunds take?" }, expected: "Refunds take five business days." }), judges);
    expect(result).toMatchObject({ score: 0.75, pass: true });
    expect(seen).toContain("CONTEXT:\nRefunds take five business days.");
    expect(seen).toContain("How long do refunds take?");
  });

  it("fails github/similarity and github/groundedness when the case lacks what they compare with", async () => {
    const { scorers: judges } = buildScorers({
      evaluators: [
        { name: "sim", spec: { uses: "github/similarity" } },
        { name: "grounded", spec: { uses: "github/groundedness" } },
      ],
    });
    const results = await scoreOutput(context("x", noJudge, { expected: undefined }), judges);
    expect(results[0]).toMatchObject({ pass: false, reason: expect.stringContaining("`expected`") });
    expect(results[1]).toMatchObject({ pass: false, reason: expect.stringContaining("`context`") });
  });

  it("passes github/groundedness the case's context", async () => {
    const { scorers: judges } = buildScorers({ evaluators: [{ name: "grounded", spec: { uses: "github/groundedness" } }] });
    let seen = "";
    const judge: Judge = async (messages) => {
      seen = messages.map((m) => m.content).join("\n");
      return "5";
    };
    const [result] = await scoreOutput(context("Refunds take 5 days.", judge, { vars: { context: "Refunds are processed within 5 business days." } }), judges);
    expect(result).toMatchObject({ score: 1, pass: true });
    expect(seen).toContain("Refunds are processed within 5 business days.");
  });

  it("reports evaluators it cannot run instead of skipping them silently", () => {
    const { scorers: built, diagnostics: problems } = buildScorers({
      evaluators: evaluatorsOf(`
evaluators:
  - name: plugin
    uses: github/toxicity
  - name: empty-string
    string: {}
  - name: two-checks
    string: { contains: a, endsWith: b }
  - name: typo
    string: { contain: a }
  - name: no-choices
    llm: { modelId: openai/gpt-4o, prompt: "Rate {{completion}}" }
  - name: nothing
`),
    });
    expect(built.map((s) => s.name)).toEqual(["two-checks"]);
    expect(problems).toEqual([
      { evaluator: "plugin", message: expect.stringContaining("unknown evaluator `uses: github/toxicity`") },
      { evaluator: "empty-string", message: expect.stringContaining("no equals, contains") },
      { evaluator: "two-checks", message: expect.stringContaining("only `contains` is checked") },
      { evaluator: "typo", message: expect.stringContaining("unknown key `string.contain`") },
      { evaluator: "typo", message: expect.stringContaining("no equals, contains") },
      { evaluator: "no-choices", message: expect.stringContaining("`llm.choices`") },
      { evaluator: "nothing", message: expect.stringContaining("none of `string`, `llm`, `uses` or `type`") },
    ]);
  });
});

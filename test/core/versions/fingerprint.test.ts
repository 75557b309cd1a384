import { contentFingerprint } from "../../../src/core/versions/fingerprint.js";
import { makePrompt } from "./prompt.js";

const base = makePrompt();
const fp = contentFingerprint;
const withSystem = (content: string) =>
  makePrompt({ messages: [{ role: "system", content, line: 8 }, base.messages[1]] });

describe("contentFingerprint", () => {
  it("is a sha256 hex digest, stable for the same content", () => {
    expect(fp(base)).toMatch(/^[0-9a-f]{64}$/);
    expect(fp(makePrompt())).toBe(fp(base));
  });

  it.each<[string, Parameters<typeof makePrompt>[0]]>([
    ["name", { name: "Other" }],
    ["description", { description: "Other" }],
    ["id", { id: "other/id" }],
    ["owners", { owners: ["@someone"] }],
    ["version", { version: "9.9.9" }],
    ["golden path", { golden: "evals/other.jsonl" }],
    ["testData", { testData: [] }],
    ["evaluators", { evaluators: [] }],
    ["variables", { variables: [] }],
    ["example output", { exampleOutput: "x" }],
    ["positions", { positions: { version: 10 } }],
    ["path and format", { path: "prompts/summary.prompt", format: "dotprompt" }],
    ["message source lines", { messages: base.messages.map((m) => ({ ...m, line: m.line + 5 })) }],
    ["parameter key order", { parameters: { max_tokens: 200, temperature: 0.2 } }],
  ])("ignores metadata: %s", (_what, over) => {
    expect(fp(makePrompt(over))).toBe(fp(base));
  });

  it.each<[string, Parameters<typeof makePrompt>[0]]>([
    ["a message's content", { messages: [base.messages[0], { ...base.messages[1], content: "Ticket:\n{{ticket}}" }] }],
    ["a message's role", { messages: [{ ...base.messages[0], role: "user" }, base.messages[1]] }],
    ["message order", { messages: [base.messages[1], base.messages[0]] }],
    ["an added message", { messages: [...base.messages, { role: "assistant", content: "ok", line: 14 }] }],
    ["the model", { model: "openai/gpt-4o" }],
    ["no model", { model: undefined }],
    ["a parameter value", { parameters: { temperature: 0.3, max_tokens: 200 } }],
    ["an added parameter", { parameters: { temperature: 0.2, max_tokens: 200, top_p: 0.9 } }],
    ["the response format", { responseFormat: "json_object" }],
    ["the JSON schema", { jsonSchema: { type: "object" } }],
  ])("changes with %s", (_what, over) => {
    expect(fp(makePrompt(over))).not.toBe(fp(base));
  });

  it("sorts parameter keys at every depth", () => {
    const a = makePrompt({ parameters: { stop: ["a", "b"], extra: { x: 1, y: { p: 1, q: 2 } } } });
    const b = makePrompt({ parameters: { extra: { y: { q: 2, p: 1 }, x: 1 }, stop: ["a", "b"] } });
    expect(fp(a)).toBe(fp(b));
    // Array order is meaning, not layout.
    expect(fp(makePrompt({ parameters: { stop: ["b", "a"], extra: { x: 1, y: { p: 1, q: 2 } } } }))).not.toBe(fp(a));
  });

  it("keeps the JSON schema's key order: models generate properties in that order", () => {
    const a = makePrompt({ jsonSchema: { type: "object", properties: { reasoning: {}, answer: {} } } });
    const b = makePrompt({ jsonSchema: { type: "object", properties: { answer: {}, reasoning: {} } } });
    expect(fp(a)).not.toBe(fp(b));
  });

  describe("whitespace", () => {
    const text = "You summarise support tickets.\nBe brief.";
    it.each([
      ["CRLF line endings", "You summarise support tickets.\r\nBe brief."],
      ["CR line endings", "You summarise support tickets.\rBe brief."],
      ["trailing spaces and tabs on a line", "You summarise support tickets.  \t\nBe brief."],
      ["trailing spaces at the very end", "You summarise support tickets.\nBe brief.   "],
      ["trailing spaces before CRLF", "You summarise support tickets. \r\nBe brief."],
    ])("ignores %s", (_what, variant) => {
      expect(fp(withSystem(variant))).toBe(fp(withSystem(text)));
    });

    it.each([
      ["leading indentation", "  You summarise support tickets.\nBe brief."],
      ["a blank line", "You summarise support tickets.\n\nBe brief."],
      ["a final newline", "You summarise support tickets.\nBe brief.\n"],
      ["double spaces inside a line", "You  summarise support tickets.\nBe brief."],
      ["tabs inside a line", "You\tsummarise support tickets.\nBe brief."],
    ])("counts %s", (_what, variant) => {
      expect(fp(withSystem(variant))).not.toBe(fp(withSystem(text)));
    });
  });
});

// A Prompt as the parsers produce it, for version tests.
import type { Prompt } from "../../../src/core/prompts/model.js";

export function makePrompt(over: Partial<Prompt> = {}): Prompt {
  return {
    path: "prompts/support/summary.prompt.yml",
    format: "github",
    id: "support/summary",
    name: "Ticket summary",
    description: "Summarises a support ticket",
    version: "1.0.0",
    model: "openai/gpt-4o-mini",
    parameters: { temperature: 0.2, max_tokens: 200 },
    messages: [
      { role: "system", content: "You summarise support tickets.\nBe brief.", line: 8 },
      { role: "user", content: "Ticket: {{ticket}}", line: 11 },
    ],
    variables: [{ name: "ticket", type: "string", required: true }],
    testData: [{ ticket: "My order is late", expected: "late order" }],
    evaluators: [{ name: "mentions-order", spec: { string: { contains: "order" } } }],
    owners: ["@acme/support-ai"],
    golden: "evals/summary.jsonl",
    positions: { version: 4, messages: 7 },
    raw: {},
    ...over,
  };
}

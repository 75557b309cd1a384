// Dotprompt files read as google/dotprompt reads them: licence headers before the front matter,
// role and history markers in both written forms, comments and blank segments that are never
// messages, and the block form its helpers do not support reported at its line.
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { renderMessages } from "../../../src/core/prompts/render.js";
import { fixture } from "./fixtures.js";

const none = new Map<string, string>();

function read(name: string) {
  return parsePrompt(`prompts/${name}`, fixture("prompts", "real", name));
}

describe("Dotprompt as its reference reads it", () => {
  it("`#` licence lines and blank lines before the opening `---` are not part of the prompt", () => {
    const { prompt, diagnostics } = read("licence-header.prompt");
    expect(diagnostics).toEqual([]);
    expect(prompt).toMatchObject({
      format: "dotprompt",
      model: "googleai/gemini-2.0-flash",
      parameters: { temperature: 0.2 },
      variables: [{ name: "question", type: "string", required: true, description: "the customer's question", line: 10 }],
      testData: [],
    });
    expect(prompt!.messages).toEqual([
      { role: "system", content: "You are a support agent for Example Corp.", line: 13 },
      { role: "user", content: "{{question}}", line: 16 },
    ]);
  });

  it("an unclosed front matter after a licence header is reported at the line it opens", () => {
    const { diagnostics } = parsePrompt("p.prompt", "# licence\n---\nmodel: x\n");
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, severity: "error", message: expect.stringContaining("never closed") })]);
  });

  it("Handlebars comments and whitespace-only segments never become messages, and markers inside comments are not markers", () => {
    const { prompt, diagnostics } = read("comments.prompt");
    expect(diagnostics).toEqual([]);
    expect(prompt!.messages.map((m) => [m.role, m.line])).toEqual([
      ["system", 9],
      ["user", 19],
    ]);
    const rendered = renderMessages(prompt!, { topic: "tea" }, none);
    expect(rendered.map((m) => [m.role, m.content])).toEqual([
      ["system", "You write one-line taglines."],
      ["user", "Write a tagline about tea."],
    ]);
  });

  it("`<<<dotprompt:...>>>` markers with metadata and the history marker split messages; text after history is the model's", () => {
    const { prompt, diagnostics } = read("history.prompt");
    expect(diagnostics).toEqual([]);
    expect(prompt!.messages).toEqual([
      { role: "system", content: "Answer in French.", line: 5 },
      { role: "assistant", content: "Bien sûr.", line: 7 },
      { role: "user", content: "{{message}}", line: 9 },
    ]);
  });

  it("`{{history}}` between two roles adds no empty message", () => {
    const { prompt } = parsePrompt("p.prompt", '{{role "system"}}\nBe brief.\n{{history}}\n{{role "user"}}\nHi\n');
    expect(prompt!.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });

  it("`{{#role}}…{{/role}}` block form is an error at each block's line, since the reference drops the text inside", () => {
    const { diagnostics } = read("block-role.prompt");
    expect(diagnostics.filter((d) => d.severity === "error").map((d) => [d.line, d.column])).toEqual([
      [4, 1],
      [7, 1],
    ]);
    expect(diagnostics[0].message).toContain("never sent");
  });
});

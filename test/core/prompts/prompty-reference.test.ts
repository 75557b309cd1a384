// Prompty files read as the Prompty runtime reads them: only conversation APIs are prompts
// PromptOps can run; embedding or image files are refused at their `apiType`, never misread.
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { fixture } from "./fixtures.js";

describe("Prompty API types", () => {
  it("a v2 embedding prompty is refused at its apiType", () => {
    const { diagnostics } = parsePrompt("prompts/embedding.prompty", fixture("prompts", "real", "embedding.prompty"));
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "prompts/embedding.prompty:4:12: error: `model.apiType: embedding` is not a chat prompt: PromptOps reviews chat (and responses) prompts only, so this file is not evaluated [schema]",
    ]);
  });

  it("a v1 completion prompty is refused at its api; chat is read", () => {
    const text = (api: string) => `---\nmodel:\n  api: ${api}\n  configuration:\n    type: openai\n    name: gpt-4o\n---\nuser:\nHi\n`;
    expect(parsePrompt("a.prompty", text("completion")).diagnostics).toEqual([expect.objectContaining({ line: 3, severity: "error" })]);
    const chat = parsePrompt("a.prompty", text("chat"));
    expect(chat.diagnostics).toEqual([]);
    expect(chat.prompt).toMatchObject({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hi", line: 9 }] });
  });
});

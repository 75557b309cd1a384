import { parsePrompt } from "../../../src/core/prompts/parse.js";

const parse = (text: string) => parsePrompt("prompts/p.prompt.md", text);

describe("Markdown .prompt.md", () => {
  it("splits the body at # System / ## User / ## Assistant headings, case-insensitively", () => {
    const text = [
      "---", // 1
      "name: Review", // 2
      "model: openai/gpt-4o", // 3
      "modelParameters:", // 4
      "  temperature: 0", // 5
      "evaluators:", // 6
      "  - name: short", // 7
      "    string: { contains: LGTM }", // 8
      "---", // 9
      "# SYSTEM", // 10
      "", // 11
      "You review code.", // 12
      "", // 13
      "### user", // 14
      "Review {{diff}}", // 15
      "## Assistant:", // 16
      "LGTM", // 17
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(prompt).toMatchObject({
      name: "Review",
      model: "openai/gpt-4o",
      parameters: { temperature: 0 },
      evaluators: [{ name: "short", line: 7 }],
      messages: [
        { role: "system", content: "You review code.", line: 12 },
        { role: "user", content: "Review {{diff}}", line: 15 },
        { role: "assistant", content: "LGTM", line: 17 },
      ],
    });
  });

  it("accepts Prompty-style role lines", () => {
    const { prompt } = parse("---\nname: x\n---\nsystem:\nBe brief.\nuser:\n{{q}}\n");
    expect(prompt?.messages).toEqual([
      { role: "system", content: "Be brief.", line: 5 },
      { role: "user", content: "{{q}}", line: 7 },
    ]);
  });

  it("makes a body without roles one user message, keeping other headings as text", () => {
    const text = "---\ndescription: Explain code\n---\n\n# Explain\n\nExplain {{code}} simply.\n";
    const { prompt } = parse(text);
    expect(prompt?.messages).toEqual([{ role: "user", content: "# Explain\n\nExplain {{code}} simply.", line: 5 }]);
  });

  it("reads testData and the promptops block from the front matter", () => {
    const text = [
      "---",
      "testData:",
      "  - code: x = 1",
      "promptops:",
      "  version: 0.1.0",
      "  golden: explain.golden.yml",
      "---",
      "Explain {{code}}",
    ].join("\n");
    const { prompt } = parse(text);
    expect(prompt).toMatchObject({
      testData: [{ code: "x = 1" }],
      version: "0.1.0",
      golden: "explain.golden.yml",
      positions: { testData: 2, version: 5, golden: 6, messages: 8 },
      id: "prompts/p",
    });
  });

  it("reads a file without front matter", () => {
    expect(parse("## User\nHi {{name}}\n").prompt?.messages).toEqual([{ role: "user", content: "Hi {{name}}", line: 2 }]);
  });
});

import { parsePrompt } from "../../../src/core/prompts/parse.js";

const parse = (text: string, path = "prompts/p.prompt") => parsePrompt(path, text);

describe("Dotprompt .prompt", () => {
  it("splits the body at role markers, gives text before any marker to the user, drops empty messages", () => {
    const text = [
      "---", // 1
      "model: googleai/gemini-2.0-flash", // 2
      "---", // 3
      "Context first: {{topic}}", // 4
      "", // 5
      '{{role "system"}}', // 6
      "  Be brief.", // 7
      "{{role 'user'}}", // 8
      "", // 9
      "", // 10
      "{{role \"model\"}}Sure, here goes {{history}}", // 11
      '{{role "user"}}', // 12
      "   ", // 13
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(prompt?.messages).toEqual([
      { role: "user", content: "Context first: {{topic}}", line: 4 },
      { role: "system", content: "  Be brief.", line: 7 },
      { role: "assistant", content: "Sure, here goes", line: 11 },
    ]);
    expect(prompt?.model).toBe("googleai/gemini-2.0-flash");
    expect(prompt?.positions.model).toBe(2);
  });

  it("maps config to parameters, output to the response format and Picoschema to variables", () => {
    const text = [
      "---", // 1
      "name: extract", // 2
      "model: openai/gpt-4o-mini", // 3
      "config:", // 4
      "  temperature: 0.1", // 5
      "  maxOutputTokens: 512", // 6
      "  topP: 0.9", // 7
      "  topK: 20", // 8
      "  stopSequences: [END]", // 9
      "input:", // 10
      "  schema:", // 11
      "    text: string, The text to read", // 12
      "    language?: string", // 13
      "    tags(array, Labels to consider): string", // 14
      "    options(object):", // 15
      "      strict: boolean", // 16
      "    mode(enum, How hard to try): [fast, careful]", // 17
      "  default:", // 18
      "    language: en", // 19
      "    extra: 3", // 20
      "output:", // 21
      "  format: json", // 22
      "  schema:", // 23
      "    title: string", // 24
      "    score?: number, 0 to 1", // 25
      "---", // 26
      "Read {{text}} in {{language}}.", // 27
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(prompt?.parameters).toEqual({ temperature: 0.1, maxTokens: 512, topP: 0.9, topK: 20, stop: ["END"] });
    expect(prompt?.responseFormat).toBe("json_object");
    expect(prompt?.jsonSchema).toEqual({
      type: "object",
      properties: { title: { type: "string" }, score: { type: "number", description: "0 to 1" } },
      required: ["title"],
      additionalProperties: false,
    });
    expect(prompt?.variables).toEqual([
      { name: "text", type: "string", required: true, description: "The text to read", line: 12 },
      { name: "language", type: "string", required: false, default: "en", line: 13 },
      { name: "tags", type: "array", required: true, description: "Labels to consider", line: 14 },
      { name: "options", type: "object", required: true, line: 15 },
      { name: "mode", type: "enum", required: true, description: "How hard to try", line: 17 },
      { name: "extra", default: 3, line: 20 },
    ]);
    expect(prompt?.messages).toEqual([{ role: "user", content: "Read {{text}} in {{language}}.", line: 27 }]);
  });

  it("accepts a JSON Schema input schema", () => {
    const text = [
      "---",
      "input:",
      "  schema:",
      "    type: object",
      "    properties:",
      "      city: { type: string, description: City name }",
      "      days: { type: integer }",
      "    required: [city]",
      "---",
      "Weather in {{city}} for {{days}} days",
    ].join("\n");
    const { prompt } = parse(text);
    expect(prompt?.variables).toEqual([
      { name: "city", type: "string", required: true, description: "City name", line: 6 },
      { name: "days", type: "integer", required: false, line: 7 },
    ]);
  });

  it("reads the promptops block (version, owners, testData, evaluators) and lets its variables win", () => {
    const text = [
      "---",
      "input:",
      "  schema:",
      "    q: string",
      "promptops:",
      "  id: qa/answer",
      "  version: 2.1.0",
      "  owners: ['@acme/qa']",
      "  variables:",
      "    q: { type: string, required: true, description: The question }",
      "  testData:",
      "    - q: why?",
      "  evaluators:",
      "    - name: short",
      "      string: { contains: because }",
      "---",
      "{{q}}",
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "warning", line: 9 })]);
    expect(prompt).toMatchObject({
      id: "qa/answer",
      version: "2.1.0",
      owners: ["@acme/qa"],
      variables: [{ name: "q", type: "string", required: true, description: "The question" }],
      testData: [{ q: "why?" }],
      evaluators: [{ name: "short", spec: { name: "short", string: { contains: "because" } }, line: 14 }],
      positions: { id: 6, version: 7, owners: 8, testData: 11, messages: 17 },
    });
  });

  it("needs no front matter", () => {
    const { prompt, diagnostics } = parse("Hello {{name}}\n");
    expect(diagnostics).toEqual([]);
    expect(prompt?.messages).toEqual([{ role: "user", content: "Hello {{name}}", line: 1 }]);
  });

  it("reports an unknown role at its marker", () => {
    const { diagnostics } = parse('---\n---\n{{role "robot"}}\nhi\n');
    expect(diagnostics).toEqual([expect.objectContaining({ rule: "schema", line: 3, column: 1, severity: "error" })]);
  });
});

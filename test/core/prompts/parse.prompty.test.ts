import { parsePrompt } from "../../../src/core/prompts/parse.js";

const parse = (text: string) => parsePrompt("prompts/p.prompty", text);

describe("Prompty .prompty", () => {
  it("reads v1 front matter: azure_openai configuration, parameters, inputs map, sample", () => {
    const text = [
      "---", // 1
      "name: Basic", // 2
      "description: A basic prompt", // 3
      "authors: [sethjuarez]", // 4
      "model:", // 5
      "  api: chat", // 6
      "  configuration:", // 7
      "    type: azure_openai", // 8
      "    azure_deployment: gpt-35-turbo", // 9
      "    azure_endpoint: ${env:AZURE_OPENAI_ENDPOINT}", // 10
      "  parameters:", // 11
      "    max_tokens: 128", // 12
      "    temperature: 0.2", // 13
      "    response_format: { type: json_object }", // 14
      "inputs:", // 15
      "  firstName:", // 16
      "    type: string", // 17
      "    description: First name", // 18
      "    default: Jane", // 19
      "  question:", // 20
      "    type: string", // 21
      "sample:", // 22
      "  firstName: Jane", // 23
      "  question: What is the meaning of life?", // 24
      "---", // 25
      "system:", // 26
      "You are an AI assistant who helps people find information.", // 27
      "Use their name: {{firstName}}", // 28
      "", // 29
      "user:", // 30
      "{{question}}", // 31
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(prompt).toMatchObject({
      name: "Basic",
      description: "A basic prompt",
      model: "azure/gpt-35-turbo",
      parameters: { maxTokens: 128, temperature: 0.2 },
      responseFormat: "json_object",
      variables: [
        { name: "firstName", type: "string", description: "First name", default: "Jane", line: 16 },
        { name: "question", type: "string", line: 20 },
      ],
      testData: [{ firstName: "Jane", question: "What is the meaning of life?" }],
      positions: { model: 5, testData: 22, messages: 27 },
      messages: [
        { role: "system", content: "You are an AI assistant who helps people find information.\nUse their name: {{firstName}}", line: 27 },
        { role: "user", content: "{{question}}", line: 31 },
      ],
    });
    expect(prompt?.raw.authors).toEqual(["sethjuarez"]);
  });

  it("maps a v1 openai configuration to openai/<name>", () => {
    const text = "---\nmodel:\n  configuration:\n    type: openai\n    name: gpt-4o-mini\n---\nuser:\nhi\n";
    expect(parse(text).prompt?.model).toBe("openai/gpt-4o-mini");
  });

  it("reads v2 front matter: model id/provider/options and inputs as a list", () => {
    const text = [
      "---",
      "name: greeting",
      "model:",
      "  id: gpt-4o-mini",
      "  provider: openai",
      "  connection:",
      "    kind: key",
      "    apiKey: ${env:OPENAI_API_KEY}",
      "  options:",
      "    temperature: 0.7",
      "    maxOutputTokens: 300",
      "inputs:",
      "  - name: name",
      "    kind: string",
      "    description: Who to greet",
      "    default: World",
      "    required: false",
      "template:",
      "  format:",
      "    kind: jinja2",
      "---",
      "system:",
      "You are a friendly assistant.",
      "user:",
      "Say hello to {{name}}.",
    ].join("\n");
    const { prompt, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    expect(prompt).toMatchObject({
      model: "openai/gpt-4o-mini",
      parameters: { temperature: 0.7, maxTokens: 300 },
      variables: [{ name: "name", type: "string", description: "Who to greet", default: "World", required: false, line: 13 }],
      messages: [
        { role: "system", content: "You are a friendly assistant.", line: 23 },
        { role: "user", content: "Say hello to {{name}}.", line: 25 },
      ],
    });
    expect(prompt?.raw.template).toEqual({ format: { kind: "jinja2" } });
  });

  it("gives text before the first role line to the system, as Prompty does, and ignores role words in code fences", () => {
    const text = ["---", "---", "You are terse.", "user:", "```", "assistant:", "```", "Question: {{q}}"].join("\n");
    const { prompt } = parse(text);
    expect(prompt?.messages).toEqual([
      { role: "system", content: "You are terse.", line: 3 },
      { role: "user", content: "```\nassistant:\n```\nQuestion: {{q}}", line: 5 },
    ]);
  });

  it("accepts role lines with attributes and a leading #", () => {
    const text = ["---", "---", '# system[key="v"]:', "Be kind.", "USER :", "Hi"].join("\n");
    expect(parse(text).prompt?.messages.map((m) => m.role)).toEqual(["system", "user"]);
  });
});

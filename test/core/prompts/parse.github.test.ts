import { parse as parseYaml } from "yaml";
import { parsePrompt, parsePromptBlob } from "../../../src/core/prompts/parse.js";
import { fixture, fixtureNames } from "./fixtures.js";

const errors = (r: ReturnType<typeof parsePrompt>) => r.diagnostics.filter((d) => d.severity === "error");

describe("GitHub Models .prompt.yml", () => {
  describe.each(fixtureNames("prompts", "gh-models"))("gh-models sample %s", (name) => {
    const text = fixture("prompts", "gh-models", name);
    const result = parsePrompt(`prompts/${name}`, text);
    const doc = parseYaml(text) as Record<string, any>;

    it("parses without errors", () => {
      expect(errors(result)).toEqual([]);
      expect(result.prompt?.format).toBe("github");
    });

    it("loses no field: raw is the whole document", () => {
      expect(result.prompt?.raw).toEqual(doc);
    });

    it("fills messages, testData, evaluators and parameters from GitHub's fields", () => {
      const p = result.prompt!;
      expect(p.name).toBe(doc.name);
      expect(p.description).toBe(doc.description);
      expect(p.model).toBe(doc.model);
      expect(p.messages.map((m) => m.content)).toEqual(doc.messages.map((m: any) => m.content.trimEnd()));
      expect(p.testData).toEqual(doc.testData ?? []);
      expect(p.evaluators.map((e) => e.spec)).toEqual(doc.evaluators ?? []);
      expect(p.evaluators.map((e) => e.name)).toEqual((doc.evaluators ?? []).map((e: any) => e.name));
      expect(p.parameters).toEqual(doc.modelParameters ?? {});
      expect(p.responseFormat).toBe(doc.responseFormat);
      expect(p.id).toBe(`prompts/${name.replace(/\.prompt\.yml$/, "")}`);
    });
  });

  it("reads an llm evaluator with modelId, prompt, choices and systemPrompt as written", () => {
    const p = parsePrompt("llm-judge.prompt.yml", fixture("prompts", "gh-models", "llm-judge.prompt.yml")).prompt!;
    const funny = p.evaluators.find((e) => e.name === "funny")!;
    expect(funny.spec.llm).toEqual({
      modelId: "openai/gpt-4o",
      systemPrompt: "You judge jokes.",
      prompt: "Is this joke funny? {{completion}}\n",
      choices: [
        { choice: "yes", score: 1 },
        { choice: "no", score: 0 },
      ],
    });
    expect(p.evaluators.map((e) => e.name)).toEqual(["starts", "ends", "equals", "funny", "fluent", "coherent"]);
    expect(p.parameters).toEqual({ temperature: 0.9, topP: 0.95, maxTokens: 200 });
    expect(p.messages.map((m) => m.role)).toEqual(["system", "user", "assistant"]);
  });

  it("parses a jsonSchema given as a JSON string and maps developer to system", () => {
    const p = parsePrompt("s.prompt.yml", fixture("prompts", "gh-models", "schema-string.prompt.yml")).prompt!;
    expect(p.responseFormat).toBe("json_schema");
    expect(p.jsonSchema).toMatchObject({ name: "sentiment", schema: { required: ["label"] } });
    expect(typeof p.raw.jsonSchema).toBe("string");
    expect(p.messages[0].role).toBe("system");
  });

  it("keeps a jsonSchema written as YAML as an object", () => {
    const p = parsePrompt("p.prompt.yml", fixture("prompts", "gh-models", "person-schema.prompt.yml")).prompt!;
    expect(p.jsonSchema).toMatchObject({ name: "person_info", strict: true, schema: { type: "object" } });
  });

  it("reads the promptops block and records the lines of notable fields", () => {
    const text = [
      "name: Summary", // 1
      "model: openai/gpt-4o-mini", // 2
      "messages:", // 3
      "  - role: system", // 4
      "    content: |", // 5
      "      Be brief.", // 6
      "  - role: user", // 7
      '    content: "Summarize {{ticket}}"', // 8
      "testData:", // 9
      "  - ticket: hello", // 10
      "promptops:", // 11
      "  id: support/summary", // 12
      "  version: 1.10", // 13
      "  owners: '@acme/support'", // 14
      "  golden: evals/summary.jsonl", // 15
      "  exampleOutput: A short summary", // 16
      "  description: Summaries for agents", // 17
      "  variables:", // 18
      "    ticket: { type: string, required: true, description: The ticket }", // 19
      "    tier: string", // 20
    ].join("\n");
    const { prompt, diagnostics } = parsePrompt("prompts/support/summary.prompt.yml", text);
    expect(diagnostics).toEqual([]);
    expect(prompt).toMatchObject({
      id: "support/summary",
      version: "1.10",
      owners: ["@acme/support"],
      golden: "evals/summary.jsonl",
      exampleOutput: "A short summary",
      description: "Summaries for agents",
      model: "openai/gpt-4o-mini",
      variables: [
        { name: "ticket", type: "string", required: true, description: "The ticket", line: 19 },
        { name: "tier", type: "string", line: 20 },
      ],
      messages: [
        { role: "system", content: "Be brief.", line: 6 },
        { role: "user", content: "Summarize {{ticket}}", line: 8 },
      ],
      positions: { id: 12, version: 13, owners: 14, golden: 15, model: 2, messages: 3, testData: 9 },
    });
  });

  it("defaults the id to the path without extension", () => {
    const { prompt } = parsePrompt("prompts/a/b.prompt.yaml", "messages:\n  - role: user\n    content: hi\n");
    expect(prompt?.id).toBe("prompts/a/b");
  });

  it("warns about unknown promptops keys at their line", () => {
    const { diagnostics } = parsePrompt("a.prompt.yml", "messages:\n  - role: user\n    content: hi\npromptops:\n  owner: '@x'\n");
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "warning", rule: "schema", line: 5 })]);
  });

  it("reports a missing messages list", () => {
    const { diagnostics } = parsePrompt("a.prompt.yml", "name: x\nmodel: openai/gpt-4o\n");
    expect(diagnostics).toEqual([expect.objectContaining({ severity: "error", rule: "schema", line: 1 })]);
  });

  it("handles CRLF line ends and a BOM with the same lines", () => {
    const lf = "name: x\nmessages:\n  - role: user\n    content: |\n      Hi {{a}}\n      there\n";
    const crlf = "\uFEFF" + lf.replace(/\n/g, "\r\n");
    const a = parsePrompt("a.prompt.yml", lf).prompt!;
    const b = parsePrompt("a.prompt.yml", crlf).prompt!;
    expect(b.messages).toEqual(a.messages);
    expect(b.messages[0]).toEqual({ role: "user", content: "Hi {{a}}\nthere", line: 5 });
  });

  it("turns binary, too-large and missing blobs into one diagnostic each", () => {
    expect(parsePromptBlob("a.prompt.yml", { kind: "binary", size: 10 }).diagnostics).toEqual([
      expect.objectContaining({ rule: "binary-file", line: 1, severity: "error" }),
    ]);
    expect(parsePromptBlob("a.prompt.yml", { kind: "too-large", size: 5_000_000 }).diagnostics).toEqual([
      expect.objectContaining({ rule: "file-too-large", line: 1, severity: "error" }),
    ]);
    expect(parsePromptBlob("a.prompt.yml", { kind: "missing" }).diagnostics).toEqual([
      expect.objectContaining({ rule: "missing-file", line: 1, severity: "error" }),
    ]);
    const ok = parsePromptBlob("a.prompt.yml", { kind: "text", text: "messages:\n  - role: user\n    content: hi\n", size: 40 });
    expect(ok.prompt?.messages).toHaveLength(1);
  });
});

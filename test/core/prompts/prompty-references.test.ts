// Prompty `${file:path}` and `${env:NAME}` front-matter references: files are read inside the
// repository, relative to the prompt, and their content is part of the prompt (diff, version
// rule, change detection); environment variables are never read, so no value can reach a report.
import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { memoryTree } from "../../../src/core/files.js";
import { detectChanges, relevantPaths } from "../../../src/core/workspace/detect.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { messageDiffs } from "../../../src/core/report/diff.js";
import { checkBump } from "../../../src/core/versions/bump.js";
import { contentFingerprint } from "../../../src/core/versions/fingerprint.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";

const PROMPTY = [
  "---", // 1
  "name: Extractor", // 2
  "model:", // 3
  "  api: chat", // 4
  "  configuration:", // 5
  "    type: openai", // 6
  "    name: gpt-4o-mini", // 7
  "    api_key: ${env:OPENAI_API_KEY}", // 8
  "  parameters:", // 9
  "    temperature: 0", // 10
  "    response_format: ${file:schemas/answer.json}", // 11
  "tools: ${file:../shared/tools.yaml}", // 12
  "sample: ${file:sample.json}", // 13
  "promptops:", // 14
  "  version: 1.0.0", // 15
  "---", // 16
  "system:", // 17
  "Extract the answer.", // 18
  "user:", // 19
  "{{question}}", // 20
].join("\n");

const SCHEMA = (field: string) =>
  JSON.stringify({ type: "json_schema", json_schema: { name: "answer", schema: { type: "object", properties: { [field]: { type: "string" } } } } });
const TOOLS = "- name: lookup\n  kind: function\n  description: Look a word up\n";

const files = (over: Record<string, string> = {}) => ({
  "prompts/extract.prompty": PROMPTY,
  "prompts/schemas/answer.json": SCHEMA("answer"),
  "shared/tools.yaml": TOOLS,
  "prompts/sample.json": '{"question": "What is 2 + 2?"}',
  ...over,
});

const load = (tree: Record<string, string>, ref = "head") => loadWorkspace(memoryTree(tree, ref), DEFAULT_CONFIG);
const errorsOf = (ws: Awaited<ReturnType<typeof load>>) => ws.diagnostics.map(formatDiagnostic);

describe("Prompty ${file:} references", () => {
  it("reads JSON and YAML files relative to the prompt file into the prompt", async () => {
    const ws = await load(files());
    expect(errorsOf(ws)).toEqual([]);
    const prompt = ws.prompts.get("prompts/extract.prompty")!;
    expect(prompt).toMatchObject({
      responseFormat: "json_schema",
      jsonSchema: { name: "answer", schema: { type: "object", properties: { answer: { type: "string" } } } },
      tools: [{ name: "lookup", kind: "function", description: "Look a word up" }],
      testData: [{ question: "What is 2 + 2?" }],
    });
    expect(ws.references.get("prompts/extract.prompty")).toEqual(["prompts/schemas/answer.json", "shared/tools.yaml", "prompts/sample.json"]);
    expect(ws.sources.get("shared/tools.yaml")).toBe(TOOLS);
  });

  it("walks a front matter whose alias contains itself once, without running away", async () => {
    const ws = await load({ "p.prompty": "---\nname: loop\nsample: &a\n  b: *a\n---\nuser:\nHi\n" });
    expect(errorsOf(ws).filter((e) => /internal error|call stack/i.test(e))).toEqual([]);
    expect(ws.prompts.get("p.prompty")?.name).toBe("loop");
  });

  it("reads a .txt file as text", async () => {
    const ws = await load({ "p.prompty": "---\ndescription: ${file:about.txt}\n---\nuser:\nHi\n", "about.txt": "Answers questions.\n" });
    expect(ws.prompts.get("p.prompty")?.description).toBe("Answers questions.\n");
  });

  it("a change to a referenced file alone is a change of the prompt: detected, in the diff, and it needs a version bump", async () => {
    const base = await load(files(), "base");
    const head = await load(files({ "prompts/schemas/answer.json": SCHEMA("verdict") }));
    const changes = detectChanges({ changes: [{ path: "prompts/schemas/answer.json", status: "modified" }], base, head, config: DEFAULT_CONFIG });
    expect(changes.prompts).toEqual([
      expect.objectContaining({ path: "prompts/extract.prompty", change: "dependency", reasons: ["referenced file prompts/schemas/answer.json modified"] }),
    ]);
    const before = base.prompts.get("prompts/extract.prompty")!;
    const after = head.prompts.get("prompts/extract.prompty")!;
    expect(contentFingerprint(after)).not.toBe(contentFingerprint(before));
    expect(messageDiffs(before, after).fields).toEqual([
      expect.objectContaining({ field: "jsonSchema", before: expect.stringContaining('"answer"'), after: expect.stringContaining('"verdict"') }),
    ]);
    expect(checkBump(before, after, "manual").diagnostic).toEqual(expect.objectContaining({ severity: "error", rule: "version-bump" }));
  });

  it("a changed text file may be a referenced one, so a pull request changing only it is looked at", () => {
    expect(relevantPaths([{ path: "prompts/about.txt", status: "modified" }], DEFAULT_CONFIG)).toEqual(["prompts/about.txt"]);
  });

  it("a missing file, a path out of the repository, an absolute path and an unsupported type are errors at their line", async () => {
    const text = [
      "---", // 1
      "sample: ${file:missing.json}", // 2
      "tools: ${file:../../outside.json}", // 3
      "description: ${file:/etc/hostname.txt}", // 4
      "metadata: ${file:notes.md}", // 5
      "---",
      "user:",
      "Hi",
    ].join("\n");
    const ws = await load({ "prompts/p.prompty": text, "prompts/notes.md": "notes" });
    expect(errorsOf(ws)).toEqual([
      "prompts/p.prompty:2:9: error: `${file:missing.json}`: prompts/missing.json does not exist [file-reference]",
      "prompts/p.prompty:3:8: error: `${file:../../outside.json}` leads outside the repository: a referenced file must be in the repository [file-reference]",
      "prompts/p.prompty:4:14: error: `${file:/etc/hostname.txt}` is an absolute path: a referenced file must be in the repository, relative to the prompt file [file-reference]",
      "prompts/p.prompty:5:11: error: `${file:notes.md}`: only .json, .yaml, .yml and .txt files can be referenced [file-reference]",
    ]);
  });

  it("a referenced file that is not valid JSON is an error at the reference", async () => {
    const ws = await load(files({ "prompts/schemas/answer.json": "{ not json" }));
    expect(errorsOf(ws)).toEqual([expect.stringMatching(/^prompts\/extract\.prompty:11:22: error: `\$\{file:schemas\/answer\.json\}`: prompts\/schemas\/answer\.json is not valid JSON: /)]);
  });

  it("without the repository (a file parsed on its own) a reference is a missing file, never a silent literal", () => {
    const { diagnostics } = parsePrompt("prompts/p.prompty", "---\nsample: ${file:sample.json}\n---\nuser:\nhi\n");
    expect(diagnostics.map(formatDiagnostic)).toEqual(["prompts/p.prompty:2:9: error: `${file:sample.json}`: prompts/sample.json does not exist [file-reference]"]);
  });
});

describe("Prompty ${env:} references", () => {
  const SECRET = "sk-this-value-must-never-appear";
  beforeAll(() => {
    process.env.PROMPTOPS_TEST_SECRET = SECRET;
  });
  afterAll(() => {
    delete process.env.PROMPTOPS_TEST_SECRET;
  });

  it("connection settings from the environment are left alone; the value is never read", () => {
    const text = "---\nmodel:\n  configuration:\n    type: openai\n    name: gpt-4o\n    api_key: ${env:PROMPTOPS_TEST_SECRET}\n---\nuser:\nHi\n";
    const { prompt, diagnostics } = parsePrompt("p.prompty", text);
    expect(diagnostics).toEqual([]);
    expect(prompt?.model).toBe("openai/gpt-4o");
    expect(JSON.stringify(prompt)).not.toContain(SECRET);
    expect(JSON.stringify(prompt)).toContain("${env:PROMPTOPS_TEST_SECRET}");
  });

  it("a model name or a model parameter from the environment is an error at its line; elsewhere the text is used as written, with a warning", () => {
    const text = [
      "---", // 1
      "model:", // 2
      "  id: ${env:PROMPTOPS_TEST_SECRET}", // 3
      "  provider: openai", // 4
      "  options:", // 5
      "    temperature: ${env:TEMPERATURE:0.2}", // 6
      "sample:", // 7
      "  question: ${env:PROMPTOPS_TEST_SECRET}", // 8
      "---",
      "user:",
      "{{question}}",
    ].join("\n");
    const { prompt, diagnostics } = parsePrompt("p.prompty", text);
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "p.prompty:3:7: error: `${env:PROMPTOPS_TEST_SECRET}`: the model is read from the environment variable PROMPTOPS_TEST_SECRET; PromptOps does not read prompts' environment variables (the review must run the same model on every machine): write the model name [env-reference]",
      "p.prompty:6:18: error: `${env:TEMPERATURE:0.2}`: a model parameter from the environment variable TEMPERATURE is not read (PromptOps does not read prompts' environment variables): write the value [env-reference]",
      "p.prompty:8:13: warning: `${env:PROMPTOPS_TEST_SECRET}` is not resolved: PromptOps does not read prompts' environment variables, so the text is used as written [env-reference]",
    ]);
    expect(prompt?.testData).toEqual([{ question: "${env:PROMPTOPS_TEST_SECRET}" }]);
    expect(JSON.stringify({ prompt, diagnostics })).not.toContain(SECRET);
  });
});

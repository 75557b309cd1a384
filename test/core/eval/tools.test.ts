// Prompty `tools:` reach the model: every case's request carries them as function definitions
// (OpenAI `tools`, Anthropic `tools` with `input_schema`), they are part of the request key, and
// the tools the model calls come back as text the evaluators can check.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { evaluateSides, type SideRun } from "../../../src/core/eval/evaluate.js";
import { createModelAccess } from "../../../src/core/eval/models.js";
import { requestKey } from "../../../src/core/eval/request-key.js";
import { parseGoldenFile } from "../../../src/core/golden/parse.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { startModelServer, type ModelServer } from "../../support/model-server.js";

const prompty = (model: string, tool: string[]) =>
  [
    "---",
    "model:",
    `  id: ${model}`,
    "tools:",
    ...tool,
    "---",
    "system:",
    "You manage the user's files.",
    "user:",
    "{{question}}",
  ].join("\n");

// v2 (AgentSchema): properties with `kind`, `required` per property.
const V2_TOOL = [
  "  - name: list_files",
  "    kind: function",
  "    description: List the files in a folder",
  "    parameters:",
  "      properties:",
  "        - name: folder",
  "          kind: string",
  "          description: The folder",
  "          required: true",
  "        - name: limit",
  "          kind: integer",
];
const LIST_FILES_SCHEMA = {
  type: "object",
  properties: { folder: { type: "string", description: "The folder" }, limit: { type: "integer" } },
  required: ["folder"],
};

let server: ModelServer;
beforeAll(async () => {
  server = await startModelServer({
    handler: (request) => (request.body.tools ? { kind: "toolCalls", calls: [{ name: "list_files", arguments: { folder: "/home" } }] } : undefined),
  });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function sideRun(model: string, tool = V2_TOOL): SideRun {
  const { prompt, diagnostics } = parsePrompt("prompts/files.prompty", prompty(model, tool));
  expect(diagnostics).toEqual([]);
  const golden = '{"question": "What is in /home?", "assert": [{"type": "contains", "value": "\\"name\\":\\"list_files\\""}]}';
  const { set } = parseGoldenFile("prompts/files.golden.jsonl", golden);
  return { side: "head", prompt: prompt!, golden: set, partials: new Map() };
}

async function evaluate(model: string, tool?: string[]) {
  const config: PromptOpsConfig = structuredClone(DEFAULT_CONFIG);
  config.providers.openai.baseUrl = `${server.url}/v1`;
  config.providers.anthropic.baseUrl = server.url;
  const access = createModelAccess({ config, env: {}, concurrency: 1 });
  const [evaluation] = await evaluateSides([sideRun(model, tool)], access, { repeats: 1 });
  return evaluation!.result;
}

describe("Prompty tools sent to the model", () => {
  it("OpenAI: the request carries the tools as functions; the call comes back as text the evaluators check", async () => {
    const result = await evaluate("openai/gpt-4o-mini");
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]!.body.tools).toEqual([
      { type: "function", function: { name: "list_files", description: "List the files in a folder", parameters: LIST_FILES_SCHEMA } },
    ]);
    expect(result.cases[0]).toMatchObject({ output: '{"tool_calls":[{"name":"list_files","arguments":{"folder":"/home"}}]}', pass: true });
  });

  it("Anthropic: the request carries the tools with input_schema; tool_use blocks come back the same way", async () => {
    const result = await evaluate("anthropic/claude-haiku-4-5");
    expect(server.requests[0]!.body.tools).toEqual([{ name: "list_files", description: "List the files in a folder", input_schema: LIST_FILES_SCHEMA }]);
    expect(result.cases[0]).toMatchObject({ output: '{"tool_calls":[{"name":"list_files","arguments":{"folder":"/home"}}]}', pass: true });
  });

  it("v1 tools written OpenAI's way are sent as written", async () => {
    const v1 = [
      "  - type: function",
      "    function:",
      "      name: list_files",
      "      description: List the files in a folder",
      "      parameters: { type: object, properties: { folder: { type: string } } }",
    ];
    await evaluate("openai/gpt-4o-mini", v1);
    expect(server.requests[0]!.body.tools).toEqual([
      { type: "function", function: { name: "list_files", description: "List the files in a folder", parameters: { type: "object", properties: { folder: { type: "string" } } } } },
    ]);
  });

  it("the tools are part of the request key: a tool change is never answered from the cache", () => {
    const base = { model: "openai/gpt-4o-mini", messages: [{ role: "user" as const, content: "Hi" }], parameters: {}, repeat: 0 };
    const tool = (description: string) => [{ name: "list_files", description, parameters: { type: "object", properties: {} } }];
    expect(requestKey({ ...base, tools: tool("List files") })).not.toBe(requestKey(base));
    expect(requestKey({ ...base, tools: tool("List files") })).not.toBe(requestKey({ ...base, tools: tool("Delete all user files") }));
    expect(requestKey({ ...base, tools: [] })).toBe(requestKey(base));
  });

  it("a tool that is not a function (an MCP server, say) is an error at its line", () => {
    const { diagnostics } = parsePrompt("prompts/files.prompty", prompty("openai/gpt-4o-mini", ["  - name: github", "    kind: mcp", "    serverName: github"]));
    expect(diagnostics).toEqual([
      expect.objectContaining({ severity: "error", line: 5, message: expect.stringContaining("tool `github` is of kind `mcp`: only function tools are sent to the model") }),
    ]);
  });
});

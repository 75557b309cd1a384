// Files in the shapes real tools write (GitHub's docs and gh-models, google/dotprompt, microsoft/prompty)
// and hostile inputs, through parsePrompt, rendering and the CLI's `show` and `lint`.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { main } from "../../../src/cli/main.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { renderMessages } from "../../../src/core/prompts/render.js";
import { recordingIO } from "../../cli/io-fixture.js";
import { fixture } from "./fixtures.js";

const none = new Map<string, string>();

function parseReal(name: string) {
  const { prompt, diagnostics } = parsePrompt(`prompts/${name}`, fixture("prompts", "real", name));
  expect(diagnostics).toEqual([]);
  return prompt!;
}

describe("real-world prompt files parse with no error and no lost field", () => {
  it("GitHub docs' Text Summarizer", () => {
    const p = parseReal("text-summarizer.prompt.yml");
    expect(p).toMatchObject({
      format: "github",
      name: "Text Summarizer",
      description: "Summarizes input text concisely",
      model: "openai/gpt-4o-mini",
      parameters: { temperature: 0.5 },
      messages: [
        { role: "system", line: 9 },
        { role: "user", content: 'Summarize the given text, beginning with "Summary -":\n<text>\n{{input}}\n</text>', line: 12 },
      ],
      testData: [{ input: "A cat sat on a warm windowsill.\nIt did not move all afternoon.\n", expected: expect.stringMatching(/^Summary - /) }],
      evaluators: [{ name: "Output should start with 'Summary -'", spec: { string: { startsWith: "Summary -" } } }],
    });
  });

  it("Dotprompt's literal <<<dotprompt:role:...>>> markers split messages like {{role}}", () => {
    const p = parseReal("role-markers.prompt");
    expect(p.messages).toEqual([
      { role: "user", content: "Please summarize the following text.\n\n{{text}}", line: 17 },
      { role: "assistant", content: "Understood. Here is a short summary.", line: 22 },
    ]);
    expect(p).toMatchObject({ model: "googleai/gemini-2.5-flash", responseFormat: "text", variables: [{ name: "text", type: "string", required: true }] });
  });

  it("Dotprompt with Picoschema, a custom output format, partials and escaped mustaches", () => {
    const p = parseReal("fiddle.prompt");
    expect(p.variables.map((v) => [v.name, v.required])).toEqual([
      ["query", true],
      ["existingPrompt", false],
    ]);
    expect(p.responseFormat).toBeUndefined();
    expect((p.raw.output as Record<string, unknown>).format).toBe("code");
    const [m] = renderMessages(p, { query: "Q" }, new Map([["prompting_docs", "DOCS"]]));
    expect(m.content).toContain("Q\n\nDOCS");
    expect(m.content).toContain("{{#if someVariable}}\nSome Variable: {{someVariable}}{{/if}}");
  });

  it("Prompty v1: a scalar input is its default, a bare type name its type, an input's sample its default", () => {
    const p = parseReal("legacy.prompty");
    expect(p).toMatchObject({
      model: "azure/gpt-35-turbo",
      parameters: { temperature: 0.7, maxTokens: 500, topP: 0.9, stop: ["\n"] },
      variables: [
        { name: "firstName", type: "string", required: true, description: "The first name of the customer", default: "Jane", line: 20 },
        { name: "lastName", default: "Doe", line: 25 },
        { name: "question", type: "string", line: 26 },
      ],
    });
    expect(p.variables[1].type).toBeUndefined();
    expect(renderMessages(p, { question: "Why?" }, none)[0].content).toBe("You are an AI assistant helping Jane Doe.");
  });

  it("Prompty v2: inputs under inputSchema.properties", () => {
    const p = parseReal("agent-schema.prompty");
    expect(p).toMatchObject({
      model: "azure/gpt-4o",
      parameters: { temperature: 0.7, maxTokens: 1000 },
      variables: [
        { name: "firstName", type: "string", default: "Jane", line: 20 },
        { name: "question", type: "string", required: true, description: "What the user asks", line: 23 },
      ],
    });
  });
});

describe("GitHub .prompt.yml templates behave as gh-models where Handlebars cannot run them", () => {
  it("a message Handlebars cannot parse is rendered like gh: only exact {{name}} placeholders are filled", () => {
    const p = parseReal("json-example.prompt.yml");
    expect(renderMessages(p, { input: "crash on save", expected: "bug" }, none)).toEqual([
      { role: "system", content: 'Reply only with JSON shaped like {{"label": "bug", "confidence": 0.9}}.\nNever use template syntax such as {{.Field}}.' },
      { role: "user", content: "Label this report: crash on save" },
    ]);
  });

  it("a call to a helper that does not exist is literal text, filled from a key with that exact name", () => {
    const p = parsePrompt("p.prompt.yml", "messages:\n  - role: user\n    content: 'Hi {{name}}, see {{user name}} and {{missing}}'\n").prompt!;
    expect(renderMessages(p, { name: "Ana", "user name": "Bo" }, none)[0].content).toBe("Hi Ana, see Bo and {{missing}}");
  });

  it("a testData key written `a.b` fills `{{a.b}}`; `{{ name }}` with spaces still renders the value", () => {
    const p = parsePrompt("p.prompt.yml", "messages:\n  - role: user\n    content: 'About {{input.field}} for {{ who }}'\n").prompt!;
    expect(renderMessages(p, { "input.field": "billing", who: "Ana" }, none)[0].content).toBe("About billing for Ana");
    expect(renderMessages(p, { input: { field: "storage" }, who: "Ana" }, none)[0].content).toBe("About storage for Ana");
  });

  it("other formats stay strict Handlebars", () => {
    const p = parsePrompt("p.prompt", 'Reply like {{"label": 1}} to {{input}}').prompt!;
    expect(() => renderMessages(p, { input: "x" }, none)).toThrow();
  });
});

describe("CLI on real and hostile files", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "promptops-real-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (files: Record<string, string>) => {
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
  };
  const lint = async (path = "prompts") => {
    const io = recordingIO(dir);
    const code = await main(["lint", path], io);
    expect(io.err).not.toMatch(/\n\s+at /); // never a stack trace
    return { code, lines: io.out.split("\n").filter((l) => l !== "") };
  };
  const show = async (path: string) => {
    const io = recordingIO(dir);
    const code = await main(["show", path, "--json"], io);
    return { code, json: io.out === "" ? undefined : JSON.parse(io.out), err: io.err };
  };

  it("show --json reads each real sample into the normalized model", async () => {
    for (const name of ["text-summarizer.prompt.yml", "json-example.prompt.yml", "role-markers.prompt", "legacy.prompty", "agent-schema.prompty"]) {
      write({ [`prompts/${name}`]: fixture("prompts", "real", name) });
    }
    expect((await show("prompts/legacy.prompty")).json).toMatchObject({
      format: "prompty",
      model: "azure/gpt-35-turbo",
      variables: ["firstName", "lastName", "question"],
      messages: [{ role: "system" }, { role: "user", content: "{{question}}" }],
    });
    expect((await show("prompts/agent-schema.prompty")).json).toMatchObject({ variables: ["firstName", "question"], parameters: { maxTokens: 1000 } });
    expect((await show("prompts/role-markers.prompt")).json).toMatchObject({
      messages: [{ role: "user" }, { role: "assistant", content: "Understood. Here is a short summary." }],
    });
    expect((await show("prompts/json-example.prompt.yml")).json).toMatchObject({ variables: ["input"], testCases: 1, evaluators: ["has label"] });
    expect((await show("prompts/text-summarizer.prompt.yml")).json).toMatchObject({ name: "Text Summarizer", testCases: 1 });
  });

  it("lint: real samples give no errors; a gh-literal message is a notice at the line Handlebars fails on; a sampled prompt is no warning with adaptive repeats on (the default)", async () => {
    write({
      "prompts/json-example.prompt.yml": fixture("prompts", "real", "json-example.prompt.yml"),
      "prompts/text-summarizer.prompt.yml": fixture("prompts", "real", "text-summarizer.prompt.yml"),
    });
    const { code, lines } = await lint();
    expect(code).toBe(0);
    expect(lines).toEqual([
      expect.stringMatching(/^prompts\/json-example\.prompt\.yml:7:1: notice: message is not a Handlebars template .*\[template-literal\]$/),
    ]);
  });

  it("lint: an unclosed Handlebars block in a .prompt.yml is still a template error", async () => {
    write({ "prompts/a.prompt.yml": "messages:\n  - role: user\n    content: '{{#if x}}open {{\"k\": 1}}'\ntestData:\n  - x: 1\n" });
    const { code, lines } = await lint();
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^prompts\/a\.prompt\.yml:3:\d+: error: template syntax error.*\[template-syntax\]$/)]);
  });

  it("lint: hostile .prompt.yml files each get one clear diagnostic at the right line", async () => {
    write({
      "prompts/empty.prompt.yml": "name: e\nmessages: []\ntestData:\n  - x: 1\n",
      "prompts/parts.prompt.yml": "messages:\n  - role: user\n    content:\n      - type: text\n        text: hi\ntestData:\n  - x: 1\n",
      "prompts/dev.prompt.yml": "messages:\n  - role: developer\n    content: Be terse 🚀 مرحبا\n  - role: user\n    content: '{{q}}'\ntestData:\n  - q: 'שלום 👋'\n",
      "prompts/list.prompt.yml": "- role: user\n  content: hi\n",
      "prompts/tabs.prompt.yml": "messages:\n\t- role: user\n",
      "prompts/dup.prompt.yml": "name: a\nname: b\nmessages:\n  - role: user\n    content: hi\n",
      "prompts/rows.prompt.yml": "messages:\n  - role: user\n    content: '{{x}}'\ntestData:\n  - hello\n  - x: ok\n",
      "prompts/crlf.prompt": "---  \r\nmodel: openai/gpt-4o\r\npromptops:\r\n  testData:\r\n    - name: Ana\r\n---   \r\nHello {{name}}\r\n",
      "prompts/merge.prompt.yml": "x-common: &common\n  role: system\n  content: Be brief.\nmessages:\n  - <<: *common\n  - role: user\n    content: '{{q}}'\ntestData:\n  - q: hi\n",
    });
    const { lines } = await lint();
    expect(lines).toEqual([
      expect.stringMatching(/^prompts\/dev\.prompt\.yml:2:11: warning: `gh models` rejects role "developer".*\[schema\]$/),
      expect.stringMatching(/^prompts\/dup\.prompt\.yml:2:1: error: YAML syntax error: Map keys must be unique \[yaml-syntax\]$/),
      expect.stringMatching(/^prompts\/empty\.prompt\.yml:2:1: error: `messages` is empty.*\[schema\]$/),
      expect.stringMatching(/^prompts\/list\.prompt\.yml:1:1: error: a \.prompt\.yml file must be a YAML mapping.*not a list \[schema\]$/),
      expect.stringMatching(/^prompts\/parts\.prompt\.yml:3:5: error: `messages\[0\]\.content` is a list of content parts \(OpenAI style\).*\[schema\]$/),
      expect.stringMatching(/^prompts\/rows\.prompt\.yml:5:5: error: `testData\[0\]` must be a mapping of variable values, not a string \[schema\]$/),
      expect.stringMatching(/^prompts\/tabs\.prompt\.yml:2:1: error: YAML syntax error: Tabs are not allowed as indentation \[yaml-syntax\]$/),
    ]);
    expect((await show("prompts/merge.prompt.yml")).json.messages).toEqual([
      { role: "system", content: "Be brief." },
      { role: "user", content: "{{q}}" },
    ]);
    expect((await show("prompts/crlf.prompt")).json).toMatchObject({ model: "openai/gpt-4o", messages: [{ role: "user", content: "Hello {{name}}" }], testCases: 1 });
    expect((await show("prompts/dev.prompt.yml")).json.messages[0]).toEqual({ role: "system", content: "Be terse 🚀 مرحبا" });
  });

  it("lint: golden files with a trailing comma, a BOM, quoted newlines and merge keys", async () => {
    const promptFor = (golden: string) =>
      `messages:\n  - role: user\n    content: 'Summarize {{ticket}} for {{tier}}'\npromptops:\n  golden: ${golden}\n`;
    write({
      "prompts/a.prompt.yml": promptFor("a.golden.jsonl"),
      "prompts/a.golden.jsonl": '{"ticket": "x", "tier": "pro"},\n{"ticket": "y", "tier": "pro"}\n',
      "prompts/b.prompt.yml": promptFor("b.golden.csv"),
      "prompts/b.golden.csv": '\uFEFFticket,tier\r\n"line one\r\nline two",pro\r\n',
      "prompts/c.prompt.yml": promptFor("c.golden.yaml"),
      "prompts/c.golden.yaml": "base: &b\n  tier: pro\ncases:\n  - vars:\n      <<: *b\n      ticket: one\n",
    });
    const { code, lines } = await lint();
    expect(code).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^prompts\/a\.golden\.jsonl:1:31: error: invalid JSON: .*remove the trailing comma.*\[golden-syntax\]$/)]);
  });
});

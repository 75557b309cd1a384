import { main } from "../../src/cli/main.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

describe("promptops show", () => {
  let repo: TempRepo;
  beforeAll(() => {
    repo = tempRepo({
      ".github/PROMPTOWNERS": "prompts/support/ @acme/support-ai\n",
      "prompts/support/summary.prompt.yml": [
        "name: Ticket summary",
        "model: openai/gpt-4o-mini",
        "modelParameters: { temperature: 0.2 }",
        "promptops:",
        "  id: support/summary",
        "  version: 1.2.0",
        "  variables:",
        "    ticket: { type: string, required: true }",
        "messages:",
        "  - role: system",
        "    content: You summarize tickets.",
        "  - role: user",
        "    content: 'Summarize {{ticket}}'",
        "evaluators:",
        "  - name: mentions refund",
        "    string: { contains: refund }",
      ].join("\n"),
      "prompts/support/summary.golden.jsonl": '{"ticket": "a"}\n{"ticket": "b"}\n',
      "prompts/greet.prompt": "---\nmodel: anthropic/claude-sonnet-4-5\n---\nHello {{name}}, you are {{age}}.\n",
      "prompts/broken.prompt.yml": "messages: [\n",
    });
  });
  afterAll(() => repo.cleanup());

  it("prints exactly the documented JSON keys", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["show", "prompts/support/summary.prompt.yml", "--json"], io)).toBe(0);
    expect(JSON.parse(io.out)).toEqual({
      id: "support/summary",
      name: "Ticket summary",
      version: "1.2.0",
      format: "github",
      model: "openai/gpt-4o-mini",
      parameters: { temperature: 0.2 },
      messages: [
        { role: "system", content: "You summarize tickets." },
        { role: "user", content: "Summarize {{ticket}}" },
      ],
      variables: ["ticket"],
      testCases: 2,
      evaluators: ["mentions refund"],
      owners: ["@acme/support-ai"],
    });
  });

  it("infers variables from the template and uses null for absent fields", async () => {
    const io = recordingIO(`${repo.dir}/prompts`);
    expect(await main(["show", "greet.prompt", "--json"], io)).toBe(0);
    const shown = JSON.parse(io.out);
    expect(Object.keys(shown)).toEqual(["id", "name", "version", "format", "model", "parameters", "messages", "variables", "testCases", "evaluators", "owners"]);
    expect(shown).toMatchObject({ id: "prompts/greet", name: null, version: null, format: "dotprompt", variables: ["name", "age"], testCases: 0, owners: [] });
  });

  it("prints a readable form without --json", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["show", "prompts/support/summary.prompt.yml"], io)).toBe(0);
    expect(io.out).toContain("id:         support/summary\n");
    expect(io.out).toContain("model:      openai/gpt-4o-mini  temperature=0.2\n");
    expect(io.out).toContain("test cases: 2 (prompts/support/summary.golden.jsonl)\n");
    expect(io.out).toContain("--- user ---\nSummarize {{ticket}}\n");
  });

  it("reads a Prompty file's ${file:} references, also for a file outside the prompt globs", async () => {
    const scoped = tempRepo({
      ".github/promptops.yml": 'prompts:\n  include: ["prompts/**"]\n',
      "drafts/extract.prompty": "---\nname: ${file:data/name.txt}\nmodel: echo\nsample: ${file:data/sample.yaml}\n---\nuser:\n{{question}}\n",
      "drafts/data/name.txt": "Extractor",
      "drafts/data/sample.yaml": "question: What is 2 + 2?\n",
    });
    try {
      const io = recordingIO(scoped.dir);
      expect(await main(["show", "drafts/extract.prompty", "--json"], io)).toBe(0);
      expect(io.err).toBe("");
      expect(JSON.parse(io.out)).toMatchObject({ name: "Extractor", model: "echo", variables: ["question"] });
    } finally {
      scoped.cleanup();
    }
  });

  it("reports a file that does not parse (exit 1) or does not exist (exit 2)", async () => {
    const broken = recordingIO(repo.dir);
    expect(await main(["show", "prompts/broken.prompt.yml"], broken)).toBe(1);
    expect(broken.err).toMatch(/^prompts\/broken\.prompt\.yml:\d+:\d+: error: /);
    const missing = recordingIO(repo.dir);
    expect(await main(["show", "nope.prompt.yml"], missing)).toBe(2);
    expect(missing.err).toBe("promptops: no such file: nope.prompt.yml\n");
  });
});

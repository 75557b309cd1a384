// The CLI in a clone of someone else's repository: nothing outside the repository is read
// through symbolic links, and an endpoint the repository's config names gets the user's key
// only when the user names its host.

import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { tempDir, tempRepo, type TempRepo } from "../cli/git-fixture.js";
import { recordingIO } from "../cli/io-fixture.js";
import { startModelServer, type ModelServer } from "../support/model-server.js";
import { startProxyServer, type ProxyServer } from "../support/proxy-server.js";

const CONFIG = "providers:\n  retries: 0\n";

function prompt(model = "echo", system = "You repeat."): string {
  return `model: ${model}\nmessages:\n  - role: system\n    content: '${system}'\n  - role: user\n    content: 'Say {{word}}'\nevaluators:\n  - name: says\n    string:\n      contains: '{{word}}'\n`;
}

describe("symbolic links out of the repository", () => {
  let repo: TempRepo;
  let outside: string;
  beforeEach(() => {
    outside = tempDir("promptops-outside-");
    writeFileSync(join(outside, "credentials.jsonl"), '{"word": "AKIA-TOP-SECRET-VALUE"}\n');
    writeFileSync(join(outside, "secret.md"), "PARTIAL-SECRET-CONTENT");
    repo = tempRepo({ ".github/promptops.yml": CONFIG, "prompts/greeter.prompt.yml": prompt() });
  });
  afterEach(() => repo.cleanup());

  it("a golden set linked outside is refused with the path named, and its content goes nowhere", async () => {
    symlinkSync(join(outside, "credentials.jsonl"), join(repo.dir, "prompts/greeter.golden.jsonl"));
    const io = recordingIO(repo.dir);
    const code = await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json"], io);

    // A lint error fails the gate: never a pass.
    expect(code).toBe(1);
    expect(io.err).toMatch(/prompts\/greeter\.golden\.jsonl:1:1: error: file is a symbolic link to .*credentials\.jsonl, outside the repository; it was not read \[outside-repository\]/);
    expect(io.out + io.err).not.toContain("AKIA-TOP-SECRET-VALUE");
  });

  it("a partial linked outside is refused too", async () => {
    mkdirSync(join(repo.dir, "prompts/partials"), { recursive: true });
    symlinkSync(join(outside, "secret.md"), join(repo.dir, "prompts/partials/secret.md"));
    repo.write({
      ".github/promptops.yml": `${CONFIG}prompts:\n  partials: ["prompts/partials"]\n`,
      "prompts/greeter.prompt.yml": prompt("echo", "{{> secret}}"),
      "prompts/greeter.golden.jsonl": '{"word": "hi"}\n',
    });
    const io = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json"], io)).not.toBe(0);
    expect(io.err).toMatch(/prompts\/partials\/secret\.md:1:1: error: file is a symbolic link to .*secret\.md, outside the repository/);
    expect(io.out + io.err).not.toContain("PARTIAL-SECRET-CONTENT");
  });

  it("a folder linked outside shows no files at all", async () => {
    symlinkSync(outside, join(repo.dir, "prompts/partials"));
    repo.write({
      ".github/promptops.yml": `${CONFIG}prompts:\n  partials: ["prompts/partials"]\n`,
      "prompts/greeter.prompt.yml": prompt("echo", "{{> secret}}"),
      "prompts/greeter.golden.jsonl": '{"word": "hi"}\n',
    });
    const io = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json"], io)).not.toBe(0);
    expect(io.err).toContain('partial "secret" not found');
    expect(io.out + io.err).not.toContain("PARTIAL-SECRET-CONTENT");
  });

  it("a file a Prompty `${file:}` reference names, linked outside, is refused at the reference's line", async () => {
    writeFileSync(join(outside, "schema.json"), '{"description": "SCHEMA-SECRET-CONTENT"}');
    symlinkSync(join(outside, "schema.json"), join(repo.dir, "prompts/schema.json"));
    repo.write({
      "prompts/extract.prompty": "---\nmodel: echo\ntools: ${file:schema.json}\n---\nuser:\nSay {{word}}\n",
      "prompts/extract.golden.jsonl": '{"word": "hi"}\n',
    });
    const io = recordingIO(repo.dir);
    expect(await main(["lint", "prompts/extract.prompty"], io)).toBe(1);
    expect(io.out + io.err).toMatch(/prompts\/extract\.prompty:3:8: error: `\$\{file:schema\.json\}`: prompts\/schema\.json is a symbolic link to .*schema\.json, outside the repository; it was not read \[file-reference\]/);
    expect(io.out + io.err).not.toContain("SCHEMA-SECRET-CONTENT");
  });

  it("a link that stays inside the repository is read as usual", async () => {
    repo.write({ "evals/greeter.jsonl": '{"word": "hello"}\n' });
    symlinkSync(join(repo.dir, "evals/greeter.jsonl"), join(repo.dir, "prompts/greeter.golden.jsonl"));
    const io = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json"], io)).toBe(0);
    expect(JSON.parse(io.out).prompts[0].head.cases).toBe(1);
  });

  it("a replay file the config names outside the repository is refused", async () => {
    writeFileSync(join(outside, "recordings.json"), '{"k": {"output": "LEAKED"}}');
    repo.write({ "prompts/greeter.golden.jsonl": '{"word": "hi"}\n' });
    symlinkSync(join(outside, "recordings.json"), join(repo.dir, "recordings.json"));
    repo.write({ ".github/promptops.yml": `${CONFIG}  replay:\n    file: recordings.json\n` });
    const io = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache"], io)).toBe(2);
    expect(io.err).toMatch(/providers\.replay\.file recordings\.json leads to .*recordings\.json, outside the repository/);
  });
});

describe("a model endpoint chosen by the repository's config", () => {
  let models: ModelServer;
  let proxy: ProxyServer;
  let repo: TempRepo;
  const KEY = "sk-user-personal-key-0123456789";
  beforeEach(async () => {
    models = await startModelServer();
    // The proxy stands in for the internet: models.attacker.test is answered by the local server.
    proxy = await startProxyServer({ upstream: new URL(models.url).host });
    repo = tempRepo({
      ".github/promptops.yml": `${CONFIG}  openai:\n    baseUrl: http://models.attacker.test/v1\n`,
      "prompts/greeter.prompt.yml": prompt("openai/gpt-4o-mini"),
      "prompts/greeter.golden.jsonl": '{"word": "hello"}\n',
    });
  });
  afterEach(async () => {
    repo.cleanup();
    await proxy.close();
    await models.close();
  });

  const run = async (env: Record<string, string>, ...flags: string[]) => {
    const io = recordingIO(repo.dir);
    io.env = { OPENAI_API_KEY: KEY, HTTP_PROXY: proxy.url, ...env };
    const code = await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", "json", ...flags], io);
    return { code, io };
  };

  it("gets no request and no key without the user's opt-in, and the error says how to opt in", async () => {
    const { code, io } = await run({});
    expect(code).toBe(2);
    expect(models.requests).toHaveLength(0);
    expect(proxy.targets).toHaveLength(0);
    expect(io.out + io.err).toContain("providers.openai.baseUrl is set by the repository's config (to models.attacker.test)");
    expect(io.out + io.err).toContain("pass --trust-endpoint models.attacker.test or set PROMPTOPS_TRUST_ENDPOINTS=models.attacker.test");
  });

  it("receives the key once the user names the host, by flag or by variable", async () => {
    expect((await run({}, "--trust-endpoint", "models.attacker.test")).code).toBe(0);
    expect((await run({ PROMPTOPS_TRUST_ENDPOINTS: "other.test, models.attacker.test" })).code).toBe(0);
    expect(proxy.targets.every((t) => t === "models.attacker.test:80")).toBe(true);
    expect(models.requests.map((r) => r.headers.authorization)).toEqual([`Bearer ${KEY}`, `Bearer ${KEY}`]);
  });

  it("a server on this machine needs no opt-in", async () => {
    repo.write({ ".github/promptops.yml": `${CONFIG}  openai:\n    baseUrl: ${models.url}/v1\n` });
    const { code } = await run({ NO_PROXY: "127.0.0.1" });
    expect(code).toBe(0);
    expect(models.requests).toHaveLength(1);
  });

  it("naming another host does not count", async () => {
    expect((await run({}, "--trust-endpoint", "attacker.test")).code).toBe(2);
    expect(models.requests).toHaveLength(0);
  });
});

// Configured secrets never reach a report, a terminal line or a GitHub write, whatever a
// provider echoes back: a gateway answering 401 with the key it was sent is the usual culprit.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { createRedactor, secretsFrom } from "../../src/core/redact.js";
import { privateKey } from "../app/helpers.js";
import { tempRepo } from "../cli/git-fixture.js";
import { recordingIO } from "../cli/io-fixture.js";
import { loadConfig } from "../../src/core/config/load.js";
import { ProviderError } from "../../src/core/providers/port.js";
import { createProviders } from "../../src/core/providers/registry.js";
import { keyEchoingGateway, startModelServer, type ModelServer } from "../support/model-server.js";

const KEY = "sk-proj-LIVE-0123456789abcdefXYZ";

describe("secretsFrom and the Redactor", () => {
  it("collects the values of secret-named variables, not of others", () => {
    const env = { OPENAI_API_KEY: KEY, GITHUB_TOKEN: "ghs_abcdefghijklmnop", "INPUT_OPENAI-API-KEY": "sk-input-0123456789", WEBHOOK_SECRET: "hook-secret-value", OPENAI_BASE_URL: "https://api.openai.com/v1", TEAM_KEY_NAME: "x", HOME: "/home/runner", SHORT_TOKEN: "abc" };
    expect(secretsFrom(env).sort()).toEqual([KEY, "ghs_abcdefghijklmnop", "hook-secret-value", "sk-input-0123456789"].sort());
    expect(secretsFrom({ TEAM_CREDENTIAL: "team-credential-1" }, ["TEAM_CREDENTIAL"])).toEqual(["team-credential-1"]);
  });

  it("masks raw, JSON-escaped, URL-encoded and base64 forms, and each line of a PEM key given with \\n escapes", () => {
    const pem = privateKey();
    const redactor = createRedactor(secretsFrom({ OPENAI_API_KEY: KEY, PRIVATE_KEY: pem.replace(/\n/g, "\\n") }));
    const bodyLine = pem.split("\n")[3]!;
    const text = [KEY, JSON.stringify(`a"${KEY}`), encodeURIComponent(`${KEY}/`), Buffer.from(KEY).toString("base64"), `line: ${bodyLine}`].join(" | ");
    const masked = redactor.redact(text);
    expect(masked).not.toContain(KEY);
    expect(masked).not.toContain(Buffer.from(KEY).toString("base64").replace(/=+$/, ""));
    expect(masked).not.toContain(bodyLine);
    expect(masked).toContain("***");
  });
});

describe("providers", () => {
  it("mask the key in the errors and outputs of a provider, before any report sees them", async () => {
    const gateway = await keyEchoingGateway();
    const echoing = await startModelServer({ handler: (r) => `your key is ${String(r.headers.authorization)}` });
    try {
      const request = { model: "openai/gpt-4o-mini", modelName: "gpt-4o-mini", messages: [{ role: "user" as const, content: "hi" }], parameters: {}, repeat: 0 };
      const providers = (url: string) => createProviders({ config: loadConfig(undefined, "c.yml").config, env: { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${url}/v1` } });
      const error = await providers(gateway.url).resolve("openai/gpt-4o-mini").provider.complete(request).catch((e: Error) => e);
      expect(error).toBeInstanceOf(ProviderError);
      expect((error as ProviderError).kind).toBe("auth");
      expect((error as Error).message).toContain("Incorrect API key provided: ***");
      expect((error as Error).message).not.toContain(KEY);
      const answer = await providers(echoing.url).resolve("openai/gpt-4o-mini").provider.complete(request);
      expect(answer.output).toBe("your key is Bearer ***");
    } finally {
      await gateway.close();
      await echoing.close();
    }
  });
});

describe("the CLI", () => {
  let gateway: ModelServer;
  beforeEach(async () => {
    gateway = await keyEchoingGateway();
  });
  afterEach(() => gateway.close());

  it.each(["json", "md", "junit"])("a key-echoing 401 leaves the key out of the %s report, the terminal and the report file", async (format) => {
    const repo = tempRepo({
      ".github/promptops.yml": "providers:\n  retries: 0\n",
      "prompts/greeter.prompt.yml": "model: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: Say {{word}}\nevaluators:\n  - name: says\n    string:\n      contains: '{{word}}'\n",
      "prompts/greeter.golden.jsonl": '{"word": "hello"}\n{"word": "bye"}\n',
    });
    try {
      const io = recordingIO(repo.dir);
      io.env = { OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${gateway.url}/v1` };
      expect(await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", format], io)).toBe(2);
      const toFile = recordingIO(repo.dir);
      toFile.env = io.env;
      await main(["eval", "prompts/greeter.prompt.yml", "--no-cache", "--format", format, "--out", "report.txt"], toFile);
      const file = readFileSync(join(repo.dir, "report.txt"), "utf8");

      // The key did reach the gateway (it is the user's own), and came back in its answer.
      expect(gateway.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
      for (const text of [io.out, io.err, toFile.out, toFile.err, file]) expect(text).not.toContain(KEY);
      expect(io.out + io.err).toContain("Incorrect API key provided: ***");
    } finally {
      repo.cleanup();
    }
  });
});

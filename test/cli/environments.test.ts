// Environments end to end on a real git repository whose tags PromptOps made itself
// (`promptops tag`): `env`, `promote`, every drift state with the deployed report from a file
// and from a local HTTP server, and the runtime loader whose report closes the loop.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { deployedReport, loadPrompt } from "../../src/runtime/index.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";
import { echoPrompt, GOLDEN, identify, tagHead } from "./env-fixture.js";

const PINS = ".github/prompt-environments.yml";

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

function pins(production: string, extra = ""): string {
  return [
    "environments:",
    "  staging:",
    "    pins: { support/summary: 1.1.0 }",
    "  production:",
    `    pins: { ${production} }`,
    "    promoteFrom: staging   # a version must be pinned in staging first",
    '    owners: ["@acme/ml-leads"]',
    "    gates: { minScore: 0.9 }",
    "    deployed: { file: deployed/production.json }",
    extra,
  ].join("\n");
}

interface Fixture {
  repo: TempRepo;
  /** sha256 the tags record, by version of support/summary. */
  sha: Record<string, string>;
}

async function buildRepo(): Promise<Fixture> {
  const repo = tempRepo({ ".github/promptops.yml": "providers:\n  retries: 0\n" });
  identify(repo);
  repo.commit("config");
  repo.write({ "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.0.0", "Summarise {{word}}"), "prompts/summary.golden.jsonl": GOLDEN });
  repo.commit("summary 1.0.0");
  await tagHead(repo);
  repo.write({ "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.1.0", "Summarise {{word}} in one line") });
  repo.commit("summary 1.1.0");
  await tagHead(repo, "dave");
  repo.write({ [PINS]: pins("support/summary: 1.0.0") });
  repo.commit("environments (#12)");
  const env = JSON.parse((await run(repo.dir, "env", "--json")).out);
  const sha: Record<string, string> = {};
  for (const e of env.environments) for (const p of e.pins) sha[p.version] = p.sha256;
  return { repo, sha };
}

function report(environment: string, prompts: Record<string, { version: string; sha256: string }>): string {
  return JSON.stringify({ environment, prompts });
}

describe("environments on a repository tagged by PromptOps", () => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await buildRepo();
  });
  afterAll(() => fx.repo.cleanup());
  const deployed = (text: string) => writeFileSync(join(fx.repo.dir, "deployed/production.json"), text);
  beforeAll(() => fx.repo.write({ "deployed/production.json": "{}" }));

  it("env lists each pin with its tag, commit, file, hash, approvers and the newer version", async () => {
    const { code, out } = await run(fx.repo.dir, "env", "--json");
    expect(code).toBe(0);
    const { environments } = JSON.parse(out);
    expect(environments.map((e: { name: string }) => e.name)).toEqual(["staging", "production"]);
    const [prod] = environments[1].pins;
    expect(prod).toMatchObject({
      promptId: "support/summary",
      version: "1.0.0",
      tag: "prompts/support/summary/v1.0.0",
      status: "ok",
      commit: fx.repo.git("rev-parse", "prompts/support/summary/v1.0.0^{commit}").trim(),
      path: "prompts/summary.prompt.yml",
      newer: "1.1.0",
      approvers: ["carol"],
    });
    expect(prod.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fx.sha["1.0.0"]).not.toBe(fx.sha["1.1.0"]);
    expect(environments[1]).toMatchObject({ promoteFrom: "staging", owners: ["@acme/ml-leads"], gates: { minScore: 0.9 }, deployed: { file: "deployed/production.json" } });

    const text = await run(fx.repo.dir, "env");
    expect(text.out).toContain("production (promoted from staging; owners @acme/ml-leads)");
    expect(text.out).toMatch(/ {2}support\/summary 1\.0\.0 {2}prompts\/support\/summary\/v1\.0\.0 {2}[0-9a-f]{12} {2}prompts\/summary\.prompt\.yml {2}sha256 [0-9a-f]{12} {2}\(newer: 1\.1\.0\)/);
  });

  it("schema errors in the pins file are file:line:col errors (exit 2)", async () => {
    const before = readFileSync(join(fx.repo.dir, PINS), "utf8");
    try {
      fx.repo.write({ [PINS]: "environments:\n  production:\n    pins: { support/summary: v1.0.0 }\n    promotefrom: staging\n" });
      const { code, err } = await run(fx.repo.dir, "env");
      expect(code).toBe(2);
      expect(err).toContain(`${PINS}:4:5: error: unknown key "promotefrom" in environments.production (did you mean promoteFrom?) [environments-unknown-key]`);
      fx.repo.write({ [PINS]: "environments:\n  production:\n    pins: { support/summary: v1.0.0 }\n    promoteFrom: qa\n" });
      const second = await run(fx.repo.dir, "env");
      expect(second.err).toContain(`${PINS}:3:30: error: environments.production.pins["support/summary"]: version "v1.0.0" is not valid semver; write 1.0.0, without the "v" [environments-version]`);
      expect(second.err).toContain(`${PINS}:4:18: error: environments.production.promoteFrom names "qa", which is not an environment here (production) [environments-promote-from]`);
    } finally {
      fx.repo.write({ [PINS]: before });
    }
  });

  describe("promote", () => {
    const file = () => readFileSync(join(fx.repo.dir, PINS), "utf8");
    let saved: string;
    beforeEach(() => (saved = file()));
    afterEach(() => fx.repo.write({ [PINS]: saved }));

    it("refuses a version whose tag does not exist", async () => {
      const { code, err } = await run(fx.repo.dir, "promote", "support/summary", "--to", "staging", "--version", "1.2.0");
      expect(code).toBe(2);
      expect(err).toBe("promptops: support/summary 1.2.0 cannot be pinned in staging: tag prompts/support/summary/v1.2.0 does not exist (versions are tagged when their pull request is merged, or with `promptops tag`)\n");
      expect(file()).toBe(saved);
    });

    it("refuses a version not pinned in the promoteFrom environment first", async () => {
      fx.repo.write({ [PINS]: saved.replace("pins: { support/summary: 1.1.0 }", "pins: { support/summary: 1.0.0 }") });
      const edited = file();
      const { code, err } = await run(fx.repo.dir, "promote", "support/summary", "--to", "production");
      expect(code).toBe(2);
      expect(err).toBe("promptops: support/summary 1.1.0 cannot be pinned in production: it must be pinned in staging first (staging pins 1.0.0)\n");
      expect(file()).toBe(edited);
    });

    it("moves the pin to the newest tag by default, keeping comments and layout", async () => {
      const { code, out } = await run(fx.repo.dir, "promote", "support/summary", "--to", "production");
      expect(code).toBe(0);
      expect(out).toMatch(/^production: support\/summary 1\.0\.0 -> 1\.1\.0 \(prompts\/support\/summary\/v1\.1\.0, sha256 [0-9a-f]{12}\)/);
      expect(file()).toBe(saved.replace("pins: { support/summary: 1.0.0 }", "pins: { support/summary: 1.1.0 }"));
    });
  });

  describe("drift", () => {
    const drift = async (...args: string[]) => {
      const { code, out, err } = await run(fx.repo.dir, "drift", "--env", "production", "--json", ...args);
      return { code, err, env: out ? JSON.parse(out).environments[0] : undefined };
    };

    it("behind (informational, exit 0) when the service runs the pin and a newer version is tagged", async () => {
      deployed(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"]! } }));
      const { code, env } = await drift();
      expect(code).toBe(0);
      expect(env).toMatchObject({ environment: "production", source: "deployed/production.json", status: "in-sync" });
      expect(env.rows).toEqual([expect.objectContaining({ promptId: "support/summary", state: "behind", pinned: "1.0.0", newer: "1.1.0" })]);
    });

    it("in-sync for staging, which pins the newest version", async () => {
      writeFileSync(join(fx.repo.dir, "staging.json"), report("staging", { "support/summary": { version: "1.1.0", sha256: fx.sha["1.1.0"]! } }));
      const { code, out } = await run(fx.repo.dir, "drift", "--env", "staging", "--deployed", "staging.json");
      expect(code).toBe(0);
      expect(out).toMatch(/^staging: in-sync \(deployed report: .*staging\.json\)\n {2}in-sync +support\/summary {2}pinned 1\.1\.0 {2}deployed 1\.1\.0 /);
    });

    it("pending-rollout when the service still runs the previous version, or does not report the prompt", async () => {
      fx.repo.write({ [PINS]: pins("support/summary: 1.1.0") });
      try {
        deployed(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"]! } }));
        const older = await drift();
        expect(older.code).toBe(1);
        expect(older.env.rows[0]).toMatchObject({ state: "pending-rollout", detail: "pinned 1.1.0, the service still runs 1.0.0" });
        deployed(report("production", {}));
        expect((await drift()).env.rows[0]).toMatchObject({ state: "pending-rollout" });
      } finally {
        fx.repo.write({ [PINS]: pins("support/summary: 1.0.0") });
      }
    });

    it("unpinned-deploy when the service runs another version, or a prompt the environment does not pin", async () => {
      deployed(report("production", { "support/summary": { version: "1.1.0", sha256: fx.sha["1.1.0"]! }, "classify/intent": { version: "2.0.1", sha256: "c".repeat(64) } }));
      const { code, env } = await drift();
      expect(code).toBe(1);
      expect(env.status).toBe("drift");
      expect(env.rows.map((r: { promptId: string; state: string }) => [r.promptId, r.state])).toEqual([
        ["support/summary", "unpinned-deploy"],
        ["classify/intent", "unpinned-deploy"],
      ]);
    });

    it("hash-mismatch when the service runs the pinned version with other content", async () => {
      deployed(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.1.0"]! } }));
      const { code, env } = await drift();
      expect(code).toBe(1);
      expect(env.rows[0]).toMatchObject({ state: "hash-mismatch", expectedSha256: fx.sha["1.0.0"], deployed: { version: "1.0.0", sha256: fx.sha["1.1.0"] } });
    });

    it("tag-missing when the pin's tag is gone", async () => {
      fx.repo.write({ [PINS]: pins("support/summary: 1.0.0, classify/intent: 2.0.1") });
      try {
        deployed(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"]! } }));
        const { code, env } = await drift();
        expect(code).toBe(1);
        expect(env.rows[1]).toMatchObject({ promptId: "classify/intent", state: "tag-missing", detail: "tag prompts/classify/intent/v2.0.1 does not exist" });
      } finally {
        fx.repo.write({ [PINS]: pins("support/summary: 1.0.0") });
      }
    });

    it("tag-moved when the tag was re-pointed to content that is not the recorded one", async () => {
      const name = "prompts/support/summary/v1.0.0";
      const original = fx.repo.git("rev-parse", `${name}^{commit}`).trim();
      const message = fx.repo.git("tag", "-l", "--format=%(contents)", name);
      const elsewhere = fx.repo.git("rev-parse", "prompts/support/summary/v1.1.0^{commit}").trim();
      // Same name, same message (and record), other commit: what `git tag -f` leaves behind.
      fx.repo.git("tag", "-f", "-a", "--cleanup=verbatim", "-m", message, name, elsewhere);
      try {
        deployed(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"]! } }));
        const { code, env } = await drift();
        expect(code).toBe(1);
        expect(env.rows[0]).toMatchObject({ state: "tag-moved" });
        expect(env.rows[0].detail).toMatch(/^tag prompts\/support\/summary\/v1\.0\.0 no longer carries the recorded content/);
        expect((await run(fx.repo.dir, "env")).code).toBe(1);
      } finally {
        fx.repo.git("tag", "-f", "-a", "--cleanup=verbatim", "-m", message, name, original);
      }
    });

    it("unreachable (exit 2, never in sync) when the report file is missing or not a report", async () => {
      deployed("not json");
      const bad = await drift();
      expect(bad.code).toBe(2);
      expect(bad.env).toMatchObject({ status: "unreachable", rows: [expect.objectContaining({ state: "unreachable" })] });
      expect(bad.env.rows[0].detail).toMatch(/^deployed\/production\.json: not JSON/);
      const missing = await run(fx.repo.dir, "drift", "--env", "production", "--deployed", "no-such.json");
      expect(missing.code).toBe(2);
      expect(missing.out).toMatch(/unreachable +support\/summary .*no-such\.json: file not found/);
    });

    describe("from a service on 127.0.0.1", () => {
      let server: Server;
      let url: string;
      let answer: (res: import("node:http").ServerResponse) => void = () => undefined;
      beforeAll(async () => {
        server = createServer((_req, res) => answer(res));
        await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/promptops.json`;
      });
      afterAll(async () => {
        server.closeAllConnections();
        await new Promise((r) => server.close(r));
      });

      it("reads the report over HTTP", async () => {
        answer = (res) => res.writeHead(200, { "content-type": "application/json" }).end(report("production", { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"]! } }));
        const { code, env } = await drift("--deployed", url);
        expect(code).toBe(0);
        expect(env).toMatchObject({ source: url, status: "in-sync" });
      });

      it("unreachable on an HTTP error, and on a service that does not answer in time", async () => {
        answer = (res) => res.writeHead(503).end("down");
        const down = await drift("--deployed", url);
        expect(down.code).toBe(2);
        expect(down.env.rows[0].detail).toBe(`${url}: HTTP 503 Service Unavailable`);

        answer = () => undefined; // never answers
        fx.repo.write({ [PINS]: pins("support/summary: 1.0.0").replace("deployed: { file: deployed/production.json }", `deployed: { url: "${url}", timeoutMs: 200 }`) });
        try {
          const slow = await drift();
          expect(slow.code).toBe(2);
          expect(slow.env).toMatchObject({ status: "unreachable", rows: [expect.objectContaining({ state: "unreachable", detail: `${url}: no answer within 200 ms` })] });
        } finally {
          fx.repo.write({ [PINS]: pins("support/summary: 1.0.0") });
        }
      });
    });
  });

  describe("the runtime loader", () => {
    it("loads the pinned version from its tag, and its report is what drift expects", async () => {
      // The working tree has 1.1.0; production pins 1.0.0, which only the tag has.
      const prompt = await loadPrompt("support/summary", { environment: "production", root: fx.repo.dir, variables: { word: "invoices" } });
      expect(prompt).toMatchObject({ id: "support/summary", version: "1.0.0", source: "tag", sha256: fx.sha["1.0.0"], model: "echo", path: "prompts/summary.prompt.yml" });
      expect(prompt.messages).toEqual([{ role: "user", content: "Summarise invoices" }]);
      expect(prompt.render({ word: "refunds" })).toEqual([{ role: "user", content: "Summarise refunds" }]);
      expect(deployedReport("production")).toEqual({ environment: "production", prompts: { "support/summary": { version: "1.0.0", sha256: fx.sha["1.0.0"] } } });

      deployed(JSON.stringify(deployedReport("production")));
      const { code, out } = await run(fx.repo.dir, "drift", "--env", "production", "--json");
      expect(code).toBe(0);
      expect(JSON.parse(out).environments[0].rows[0].state).toBe("behind");
    });

    it("refuses an environment that pins nothing for the prompt, and a file that is not the pinned version", async () => {
      await expect(loadPrompt("classify/intent", { environment: "production", root: fx.repo.dir })).rejects.toThrow('production pins no version of prompt "classify/intent"');
      await expect(loadPrompt("support/summary", { environment: "qa", root: fx.repo.dir })).rejects.toThrow('no environment "qa" in .github/prompt-environments.yml');
    });
  });
});

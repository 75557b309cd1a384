// The serverless App's scheduled drift check (netlify/functions/drift-scheduled.mts), called as
// Netlify calls it, against a GitHub Enterprise Server double on 127.0.0.1: the App's
// installations and their repositories are listed with its JWT, and each repository's drift
// check keeps one issue per environment across runs.

import { jest } from "@jest/globals";
import drift, { config } from "../../netlify/functions/drift-scheduled.mjs";
import { parseDriftRecords } from "../../src/core/environments/drift-record.js";
import { handleScheduledDrift } from "../../src/netlify/scheduled-drift.js";
import { serveGitHub } from "../fixtures/github/fake-github.js";
import { INSTALLATION_ID } from "../fixtures/github/payloads.js";
import { deployedReport, OWNER, PINS, PROMPT, REPO, SHA256, V1, V11 } from "../fixtures/github/drifting-repo.js";
import { addRecordedTag } from "../fixtures/github/tagged.js";
import { ActionGitHub } from "../action/action-github.js";
import { QuietOctokit } from "../app/helpers.js";
import { appEnvironment } from "./harness.js";

const PINS_FILE = "environments:\n  production:\n    pins: { support/summary: 1.1.0 }\n    deployed: { file: deployed/production.json }\n";

interface Repository {
  name: string;
  archived?: boolean;
}

/** The ActionGitHub double plus what an App's JWT and installation tokens list. */
class InstalledGitHub extends ActionGitHub {
  installations: { id: number; account: { login: string }; suspended_at: string | null }[] = [
    { id: INSTALLATION_ID, account: { login: OWNER }, suspended_at: null },
    { id: 9999, account: { login: "suspended-org" }, suspended_at: "2024-01-01T00:00:00Z" },
  ];
  repositories: Repository[] = [{ name: REPO }, { name: "old-bot", archived: true }];
  readonly tokensFor: string[] = [];

  override handle(method: string, url: string, rawBody: unknown) {
    const path = new URL(url, "http://fake.test").pathname.replace(/^\/api\/v3(?=\/)/, "");
    if (method === "GET" && path === "/app/installations") {
      this.calls.push(`${method} ${path}`);
      return { status: 200, body: this.installations };
    }
    const token = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path);
    if (method === "POST" && token) this.tokensFor.push(token[1]!);
    if (method === "GET" && path === "/installation/repositories") {
      this.calls.push(`${method} ${path}`);
      const repositories = this.repositories.map((r, i) => ({
        id: 100 + i,
        name: r.name,
        full_name: `${OWNER}/${r.name}`,
        owner: { login: OWNER },
        default_branch: "main",
        archived: r.archived ?? false,
      }));
      return { status: 200, body: { total_count: repositories.length, repositories } };
    }
    return super.handle(method, url, rawBody);
  }
}

let github: InstalledGitHub;
let server: { host: string; close(): Promise<void> };
let pushed = 0;
const saved = { ...process.env };

/** A new head of the default branch, whose deployed report says `deployed`. */
function push(deployed: string): string {
  const sha = `c${String(++pushed).padStart(39, "0")}`;
  github.commits[sha] = { [PROMPT]: V11, [PINS]: PINS_FILE, "deployed/production.json": deployed };
  github.defaultBranch = { name: "main", sha };
  return sha;
}

beforeEach(async () => {
  github = new InstalledGitHub(OWNER, REPO, { ["1".repeat(40)]: { [PROMPT]: V1 }, ["2".repeat(40)]: { [PROMPT]: V11 } });
  addRecordedTag(github.tags, "1".repeat(40), { [PROMPT]: V1 }, PROMPT, { promptId: "support/summary", version: "1.0.0" });
  addRecordedTag(github.tags, "2".repeat(40), { [PROMPT]: V11 }, PROMPT, { promptId: "support/summary", version: "1.1.0" });
  server = await serveGitHub(github);
  for (const method of ["log", "warn", "error"] as const) jest.spyOn(console, method).mockImplementation(() => undefined);
  Object.assign(process.env, appEnvironment({ GHE_HOST: server.host, GHE_PROTOCOL: "http" }));
});
afterEach(async () => {
  process.env = { ...saved };
  jest.restoreAllMocks();
  await server.close();
});

/** Netlify's call of a scheduled function: a POST whose body says when the next run is. */
const scheduledRequest = () =>
  new Request("https://promptops.example/.netlify/functions/drift-scheduled", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ next_run: "2024-06-01T01:00:00.000Z" }),
  });

const open = () => github.issues.filter((i) => i.state === "open");

/** The function as deployed, minus Probot's retry and throttling waits between writes. */
const run = (req: Request) => handleScheduledDrift(req, { env: process.env, Octokit: QuietOctokit, retryAfterBaseMs: 1, log: { info() {}, warn() {}, error() {} } });

describe("the scheduled drift function", () => {
  it("is a Netlify scheduled function, and runs as deployed", async () => {
    expect(config).toEqual({ schedule: "@hourly" });
    push(deployedReport("1.1.0", SHA256.v11));
    const response = await drift(scheduledRequest());
    expect([response.status, await response.text()]).toEqual([200, "drift checked in 1 repositories\n"]);
    expect(github.calls).toContain("GET /app/installations");
    expect(github.issues).toEqual([]);
  });

  it("opens one issue on drift, updates it on the next run, closes it when back in sync", async () => {
    push(deployedReport("1.0.0", SHA256.v1));
    const first = await run(scheduledRequest());
    expect([first.status, await first.text()]).toEqual([200, "drift checked in 1 repositories\n"]);
    // The suspended installation gets no token, the archived repository no check.
    expect(github.tokensFor.every((id) => id === String(INSTALLATION_ID))).toBe(true);
    expect(github.calls.filter((c) => c.includes("old-bot"))).toEqual([]);
    expect(open()).toHaveLength(1);
    const [issue] = open();
    expect(issue).toMatchObject({ title: "Prompt drift in production", labels: ["promptops:drift"] });
    expect(issue!.body).toContain("| `support/summary` | pending-rollout | `1.1.0` | `1.0.0` |");
    expect(parseDriftRecords(issue!.body).map((r) => r.source)).toEqual(["app"]);

    push(deployedReport("1.1.0", SHA256.v1));
    expect((await run(scheduledRequest())).status).toBe(200);
    expect(open().map((i) => i.number)).toEqual([issue!.number]);
    expect(open()[0]!.body).toContain("| `support/summary` | hash-mismatch | `1.1.0` | `1.1.0` |");

    push(deployedReport("1.1.0", SHA256.v11));
    expect((await run(scheduledRequest())).status).toBe(200);
    expect(open()).toEqual([]);
    expect(github.issues).toHaveLength(1);
    expect(github.comments.filter((c) => c.issue === issue!.number).map((c) => c.body.split("\n")[0])).toEqual([
      expect.stringMatching(/^production is back in sync \(checked .*\): every pinned prompt runs its tagged content\. Closing\.$/),
    ]);
  });

  it("checks every repository whatever happens to one, and answers 500 naming the one that failed", async () => {
    push(deployedReport("1.0.0", SHA256.v1));
    // GitHub lists a repository this double does not serve: its reads answer 404.
    github.repositories = [{ name: "gone" }, { name: REPO }];
    const errors: string[] = [];
    const response = await handleScheduledDrift(scheduledRequest(), {
      env: process.env,
      Octokit: QuietOctokit,
      log: { info() {}, warn() {}, error: (m) => errors.push(m) },
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^drift check failed for 1 of 2 repositories: acme\/gone: /);
    expect(errors.some((e) => e.startsWith("drift check of acme/gone failed: "))).toBe(true);
    expect(open()).toHaveLength(1);
  });

  it("starts no repository past its deadline, names the ones left, and starts from another one each hour", async () => {
    push(deployedReport("1.0.0", SHA256.v1));
    github.repositories = [{ name: "gone" }, { name: REPO }];
    // Hour 1 starts at the second repository; the clock then passes the deadline.
    const ticks = [3_600_000, 3_600_000];
    const response = await handleScheduledDrift(scheduledRequest(), {
      env: process.env,
      Octokit: QuietOctokit,
      log: { info() {}, warn() {}, error() {} },
      startDeadlineMs: 0,
      now: () => ticks.shift() ?? 3_600_001,
    });
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/^drift check failed for 1 of 2 repositories: acme\/gone: not checked: the scheduled run ran out of time/);
    expect(open()).toHaveLength(1);
  });

  it("names the missing settings in one line and a 500", async () => {
    delete process.env.APP_ID;
    delete process.env.PRIVATE_KEY;
    const response = await drift(scheduledRequest());
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('PromptOps is not configured: missing environment variables APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH); see the README\'s "Self-hosting" section\n');
    expect(console.error).toHaveBeenCalledWith('promptops: missing environment variables APP_ID, PRIVATE_KEY (or PRIVATE_KEY_PATH); see the README\'s "Self-hosting" section');
  });
});

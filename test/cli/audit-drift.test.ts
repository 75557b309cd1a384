// `promptops audit --github`: drift events read back from the drift issues the scheduled check
// keeps (made here by the check itself against a GitHub Enterprise Server double on 127.0.0.1),
// merged with what git holds, in a stable order, in every format.

import { parse } from "csv-parse/sync";
import { Octokit } from "@octokit/rest";
import { main } from "../../src/cli/main.js";
import { createGitHubPort } from "../../src/github/octokit.js";
import { DRIFT_LABEL, runDriftCheck } from "../../src/workflows/run-drift-check.js";
import { ActionGitHub } from "../action/action-github.js";
import { serveGitHub } from "../fixtures/github/fake-github.js";
import { deployedReport, OWNER, PINS, PROMPT, REPO, SHA256, V1, V11 } from "../fixtures/github/drifting-repo.js";
import { addRecordedTag } from "../fixtures/github/tagged.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";
import { identify } from "./env-fixture.js";


let github: ActionGitHub;
let server: { host: string; close(): Promise<void> };
let repo: TempRepo;
const heads: string[] = [];

async function check(at: string, deployed: string): Promise<void> {
  const sha = `c${String(heads.length + 1).padStart(39, "0")}`;
  heads.push(sha);
  github.commits[sha] = {
    [PROMPT]: V11,
    [PINS]: "environments:\n  production:\n    pins: { support/summary: 1.1.0 }\n    deployed: { file: deployed/production.json }\n",
    "deployed/production.json": deployed,
  };
  github.defaultBranch = { name: "main", sha };
  const octokit = new Octokit({ baseUrl: `http://${server.host}/api/v3`, request: { retries: 0 }, log: { debug() {}, info() {}, warn() {}, error() {} } });
  const quiet = { info() {}, warn() {}, error() {} };
  await runDriftCheck({ github: createGitHubPort(octokit), log: quiet, fetch: globalThis.fetch, clock: () => new Date(at), source: "app" }, { repo: { owner: OWNER, repo: REPO } });
}

beforeAll(async () => {
  github = new ActionGitHub(OWNER, REPO, { ["1".repeat(40)]: { [PROMPT]: V1 }, ["2".repeat(40)]: { [PROMPT]: V11 } });
  addRecordedTag(github.tags, "1".repeat(40), { [PROMPT]: V1 }, PROMPT, { promptId: "support/summary", version: "1.0.0" });
  addRecordedTag(github.tags, "2".repeat(40), { [PROMPT]: V11 }, PROMPT, { promptId: "support/summary", version: "1.1.0" });
  server = await serveGitHub(github);
  // Detected (pending rollout), the same an hour later, changed (wrong content), resolved.
  await check("2024-06-01T00:00:00Z", deployedReport("1.0.0", SHA256.v1));
  await check("2024-06-01T01:00:00Z", deployedReport("1.0.0", SHA256.v1));
  await check("2024-06-01T02:00:00Z", deployedReport("1.1.0", SHA256.v1));
  await check("2024-06-01T03:00:00Z", deployedReport("1.1.0", SHA256.v11));
  // Records nobody may write: an issue a person opened with the label, and a person's comment
  // on the bot's issue, each holding a copy of a real record.
  const real = github.issues[0]!;
  const forged = real.body.slice(real.body.indexOf("<!-- promptops:drift-record"));
  github.issues.push({ ...real, number: 9001, state: "open", body: forged, user: { login: "mallory", type: "User" } });
  // Another app's issue echoing the same text (a dependency updater, another workflow).
  github.issues.push({ ...real, number: 9002, state: "open", body: forged.replace("2024-06-01T00:00:00.000Z", "2024-06-03T00:00:00.000Z"), user: { login: "dependabot[bot]", type: "Bot" } });
  github.addComment(forged.replace("2024-06-01T00:00:00.000Z", "2024-06-02T00:00:00.000Z"), { login: "mallory" });

  repo = tempRepo({ ".github/promptops.yml": "providers:\n  retries: 0\n" });
  identify(repo);
  repo.git("remote", "add", "origin", `https://github.com/${OWNER}/${REPO}.git`);
  repo.commit("config");
}, 30_000);

afterAll(async () => {
  await server?.close();
  repo?.cleanup();
});

async function audit(env: Record<string, string>, ...args: string[]) {
  const io = recordingIO(repo.dir);
  io.env = env;
  const code = await main(["audit", ...args], io);
  return { code, out: io.out, err: io.err };
}

const api = () => ({ GITHUB_TOKEN: "ghs_reader", GITHUB_API_URL: `http://${server.host}/api/v3` });

describe("promptops audit --github", () => {
  it("lists each drift found and ended, from the records the scheduled check left in its issue", async () => {
    const { code, out, err } = await audit(api(), "--github", "--format", "json");
    expect(err).toBe("");
    expect(code).toBe(0);
    const events = JSON.parse(out) as { action: string; time: string; headSha: string; drift: { state: string } }[];
    expect(events.map((e) => [e.action, e.time, e.drift.state, e.headSha])).toEqual([
      ["drift.detected", "2024-06-01T00:00:00.000Z", "pending-rollout", heads[0]],
      ["drift.detected", "2024-06-01T02:00:00.000Z", "hash-mismatch", heads[2]],
      ["drift.resolved", "2024-06-01T03:00:00.000Z", "hash-mismatch", heads[3]],
    ]);
    const issue = github.issues.find((i) => i.labels.includes(DRIFT_LABEL) && i.user.login === "promptops[bot]")!;
    expect(events[0]).toEqual({
      schema: 1,
      time: "2024-06-01T00:00:00.000Z",
      source: "app",
      actor: "promptops[bot]",
      action: "drift.detected",
      repo: "acme/support-bot",
      pr: null,
      baseSha: null,
      headSha: heads[0],
      prompt: { id: "support/summary", version: "1.1.0", path: null, sha256: SHA256.v11 },
      eval: null,
      approvals: [],
      environment: { from: null, to: "production", previousVersion: null },
      drift: { state: "pending-rollout", deployed: { version: "1.0.0", sha256: SHA256.v1 }, detail: expect.any(String), issue: issue.number },
    });
  });

  it("round-trips between JSON Lines, JSON and CSV, and gives the same output twice", async () => {
    const json = JSON.parse((await audit(api(), "--github", "--format", "json")).out);
    const jsonl = (await audit(api(), "--github")).out;
    expect(jsonl.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual(json);
    expect((await audit(api(), "--github")).out).toBe(jsonl);
    const rows = parse((await audit(api(), "--github", "--format", "csv")).out, { columns: true }) as Record<string, string>[];
    const nested = new Set(["prompt", "eval", "approvals", "environment", "drift"]);
    const back = rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === "" ? null : nested.has(k) ? JSON.parse(v) : k === "schema" || k === "pr" ? Number(v) : v])),
    );
    expect(back).toEqual(json);
  });

  it("counts only the writers it is told of: --drift-writer names the App's bot", async () => {
    const other = await audit(api(), "--github", "--format", "json", "--drift-writer", "my-promptops[bot]");
    expect([other.code, JSON.parse(other.out)]).toEqual([0, []]);
    const named = await audit(api(), "--github", "--format", "json", "--drift-writer", "my-promptops[bot]", "promptops[bot]");
    expect(JSON.parse(named.out)).toHaveLength(3);
    const person = await audit(api(), "--github", "--drift-writer", "mallory");
    expect([person.code, person.err]).toEqual([2, 'promptops: --drift-writer takes a bot login such as my-promptops[bot], not "mallory": only an app\'s records count\n']);
  });

  it("reads git alone without --github, and refuses --github without a token or with a bad name", async () => {
    expect(await audit(api())).toEqual({ code: 0, out: "", err: "" });
    const noToken = await audit({}, "--github");
    expect(noToken.code).toBe(2);
    expect(noToken.err).toBe("promptops: --github reads the drift issues through GitHub's API: set GITHUB_TOKEN to a token that can read the repository's issues\n");
    const badName = await audit(api(), "--github", "support-bot");
    expect(badName.err).toBe('promptops: --github takes owner/repo, not "support-bot"\n');
    const missing = await audit(api(), "--github", "acme/elsewhere");
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^promptops: cannot read the drift issues of acme\/elsewhere \(HTTP 404\): /);
  });
});

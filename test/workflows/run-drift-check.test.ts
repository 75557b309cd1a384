// The scheduled drift check against a simulated GitHub: pins and reports read at the default
// branch's head, tags with audit records, and one issue per environment kept across runs.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { Octokit } from "@octokit/rest";
import nock from "nock";
import { createGitHubPort } from "../../src/github/octokit.js";
import { parseDriftRecords } from "../../src/core/environments/drift-record.js";
import { renderDriftIssue } from "../../src/core/environments/drift-report.js";
import { DRIFT_LABEL, runDriftCheck } from "../../src/workflows/run-drift-check.js";
import { ActionGitHub } from "../action/action-github.js";
import { API, type FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { addRecordedTag, promptSha256 } from "../fixtures/github/tagged.js";

const OWNER = "acme";
const REPO = "support-bot";
const PROMPT = "prompts/support/summary.prompt.yml";
const PINS = ".github/prompt-environments.yml";
const quiet = { info() {}, warn() {}, error() {}, debug() {} };

function prompt(version: string, system: string): string {
  return ["name: Ticket summary", "model: echo", "promptops:", "  id: support/summary", `  version: ${version}`, "messages:", "  - role: system", `    content: ${JSON.stringify(system)}`, ""].join("\n");
}

const V1 = prompt("1.0.0", "Summarize.");
const V11 = prompt("1.1.0", "Summarize briefly.");
const SHA256 = { v1: promptSha256(PROMPT, V1), v11: promptSha256(PROMPT, V11) };
const TAGGED = { v1: "1".repeat(40), v11: "2".repeat(40) };

let server: Server;
let stagingUrl: string;
let stagingAnswer: () => [number, string] = () => [200, "{}"];

beforeAll(async () => {
  server = createServer((_req, res) => {
    const [status, body] = stagingAnswer();
    res.writeHead(status, { "content-type": "application/json" }).end(body);
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  stagingUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/promptops.json`;
  nock.disableNetConnect();
  nock.enableNetConnect("127.0.0.1");
});
afterAll(async () => {
  nock.enableNetConnect();
  await new Promise((r) => server.close(r));
});
afterEach(() => nock.cleanAll());

const report = (environment: string, version: string, sha256: string) => JSON.stringify({ environment, prompts: { "support/summary": { version, sha256 } } });

function repository(): { gh: FakeGitHub; push(deployedProduction: string): void } {
  const pins = `environments:\n  staging:\n    pins: { support/summary: 1.1.0 }\n    deployed: { url: "${stagingUrl}" }\n  production:\n    pins: { support/summary: 1.1.0 }\n    deployed: { file: deployed/production.json }\n  dev:\n    pins: { support/summary: 1.1.0 }\n`;
  const gh = new ActionGitHub(OWNER, REPO, { [TAGGED.v1]: { [PROMPT]: V1 }, [TAGGED.v11]: { [PROMPT]: V11 } });
  addRecordedTag(gh.tags, TAGGED.v1, { [PROMPT]: V1 }, PROMPT, { promptId: "support/summary", version: "1.0.0" });
  addRecordedTag(gh.tags, TAGGED.v11, { [PROMPT]: V11 }, PROMPT, { promptId: "support/summary", version: "1.1.0" });
  let n = 0;
  const push = (deployedProduction: string) => {
    const sha = `a${String(++n).padStart(39, "0")}`;
    gh.commits[sha] = { [PROMPT]: V11, [PINS]: pins, "deployed/production.json": deployedProduction };
    gh.defaultBranch = { name: "main", sha };
  };
  nockGitHub(gh);
  return { gh, push };
}

function deps() {
  const octokit = new Octokit({ baseUrl: API, request: { retries: 0 }, log: quiet });
  return { github: createGitHubPort(octokit), log: quiet, fetch: globalThis.fetch, clock: () => new Date("2024-06-01T00:00:00Z") };
}

const openIssues = (gh: FakeGitHub) => gh.issues.filter((i) => i.state === "open");

describe("runDriftCheck", () => {
  it("opens one issue on drift, updates it on the next run, closes it once back in sync", async () => {
    const { gh, push } = repository();
    stagingAnswer = () => [200, report("staging", "1.1.0", SHA256.v11)];

    push(report("production", "1.0.0", SHA256.v1));
    const first = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    // Only environments with a deployed source are watched.
    expect(first.environments.map((e) => [e.environment, e.status, e.issue.action])).toEqual([
      ["staging", "in-sync", "none"],
      ["production", "drift", "opened"],
    ]);
    expect(first.environments[1]!.rows[0]).toMatchObject({ state: "pending-rollout" });
    expect(openIssues(gh)).toHaveLength(1);
    const [issue] = openIssues(gh);
    expect(issue).toMatchObject({ title: "Prompt drift in production", labels: [DRIFT_LABEL] });
    expect(issue!.body).toContain("| `support/summary` | pending-rollout | `1.1.0` | `1.0.0` |");

    // Next run: the service now runs 1.1.0 with other content; the same issue is updated.
    push(report("production", "1.1.0", SHA256.v1));
    const second = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(second.environments[1]!.issue).toEqual({ action: "updated", number: issue!.number, closedDuplicates: [] });
    expect(openIssues(gh)).toHaveLength(1);
    expect(openIssues(gh)[0]!.body).toContain("| `support/summary` | hash-mismatch | `1.1.0` | `1.1.0` |");

    // A run that finds the same drift leaves the issue as it is.
    const third = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(third.environments[1]!.issue.action).toBe("unchanged");

    // Back in sync: closed, with a comment saying so.
    push(report("production", "1.1.0", SHA256.v11));
    const fourth = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(fourth.environments[1]!.issue).toEqual({ action: "closed", number: issue!.number, closedDuplicates: [] });
    expect(openIssues(gh)).toEqual([]);
    const closing = gh.comments.filter((c) => c.issue === issue!.number).map((c) => c.body);
    expect(closing).toHaveLength(1);
    expect(closing[0]).toMatch(/^production is back in sync \(checked 2024-06-01T00:00:00.000Z\): every pinned prompt runs its tagged content\. Closing\.\n/);
    // The closing comment's record is the in-sync snapshot: the audit log's drift.resolved.
    expect(parseDriftRecords(closing[0]!)).toEqual([{ environment: "production", status: "in-sync", checkedAt: "2024-06-01T00:00:00.000Z", sha: gh.defaultBranch.sha, rows: [] }]);
  });

  it("keeps a record of each change of the drift in the issue, not one per run", async () => {
    const { gh, push } = repository();
    stagingAnswer = () => [200, report("staging", "1.1.0", SHA256.v11)];
    const at = (iso: string) => ({ ...deps(), clock: () => new Date(iso), source: "action" as const });
    push(report("production", "1.0.0", SHA256.v1));
    await runDriftCheck(at("2024-06-01T00:00:00Z"), { repo: { owner: OWNER, repo: REPO } });
    const first = gh.defaultBranch.sha;
    // Same drift an hour later: the body's "last checked" moves, no new record.
    await runDriftCheck(at("2024-06-01T01:00:00Z"), { repo: { owner: OWNER, repo: REPO } });
    push(report("production", "1.1.0", SHA256.v1));
    await runDriftCheck(at("2024-06-01T02:00:00Z"), { repo: { owner: OWNER, repo: REPO } });
    const [issue] = openIssues(gh);
    expect(issue!.body).toContain("Last checked 2024-06-01T02:00:00.000Z.");
    const records = parseDriftRecords(issue!.body);
    expect(records.map((r) => [r.checkedAt, r.sha, r.source, r.rows.map((row) => [row.promptId, row.state, row.pinned, row.deployed?.version])])).toEqual([
      ["2024-06-01T00:00:00.000Z", first, "action", [["support/summary", "pending-rollout", "1.1.0", "1.0.0"]]],
      ["2024-06-01T02:00:00.000Z", gh.defaultBranch.sha, "action", [["support/summary", "hash-mismatch", "1.1.0", "1.1.0"]]],
    ]);
    expect(records[1]!.rows[0]).toMatchObject({ expectedSha256: SHA256.v11, deployed: { sha256: SHA256.v1 } });
  });

  it("moves older records to comments when they would outgrow GitHub's limit on an issue body, losing none", async () => {
    const { gh, push } = repository();
    stagingAnswer = () => [200, report("staging", "1.1.0", SHA256.v11)];
    push(report("production", "1.0.0", SHA256.v1));
    await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    // A long flapping history: 400 earlier changes, each a record of its own.
    const [issue] = openIssues(gh);
    const [first] = parseDriftRecords(issue!.body);
    const earlier = Array.from({ length: 400 }, (_, i) => ({ ...first!, checkedAt: new Date(Date.UTC(2024, 0, 1, 0, i)).toISOString(), rows: [{ ...first!.rows[0]!, deployed: { version: `0.${i}.0`, sha256: SHA256.v1 } }] }));
    issue!.body = renderDriftIssue({ environment: "production", status: "drift", rows: [] }, PINS, "2024-05-31T00:00:00.000Z", [...earlier, first!]);
    expect(Buffer.byteLength(issue!.body)).toBeGreaterThan(65_536);

    push(report("production", "1.1.0", SHA256.v1));
    const run = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(run.environments[1]!.issue.action).toBe("updated");
    expect(Buffer.byteLength(openIssues(gh)[0]!.body)).toBeLessThan(65_536);
    const moved = gh.comments.filter((c) => c.issue === issue!.number);
    expect(moved.length).toBeGreaterThan(1);
    expect(moved.every((c) => Buffer.byteLength(c.body) <= 65_536 && c.user.login === "promptops[bot]")).toBe(true);
    const all = [...moved.map((c) => c.body), openIssues(gh)[0]!.body].flatMap(parseDriftRecords);
    expect(all).toHaveLength(402);
    expect(all.at(-1)!.rows[0]).toMatchObject({ state: "hash-mismatch" });
  });

  it("skips a repository with no commits, opening nothing", async () => {
    const { gh } = repository();
    const result = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(result).toEqual({ sha: "", skipped: "the repository has no commits yet (its default branch main does not exist)", environments: [] });
    expect(gh.issues).toEqual([]);
  });

  it("an unreachable service is an open issue, never in sync; a second open issue is closed as a duplicate", async () => {
    const { gh, push } = repository();
    push(report("production", "1.1.0", SHA256.v11));
    stagingAnswer = () => [500, "oops"];
    const first = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(first.environments[0]).toMatchObject({ environment: "staging", status: "unreachable", issue: { action: "opened" } });
    expect(first.environments[0]!.rows[0]!.detail).toBe(`${stagingUrl}: HTTP 500 Internal Server Error`);

    // Two runs raced and both opened one: the next run keeps the oldest and closes the other.
    const kept = openIssues(gh)[0]!;
    gh.issues.push({ ...kept, number: kept.number + 100 });
    const second = await runDriftCheck(deps(), { repo: { owner: OWNER, repo: REPO } });
    expect(second.environments[0]!.issue).toMatchObject({ number: kept.number, closedDuplicates: [kept.number + 100] });
    expect(openIssues(gh).map((i) => i.number)).toEqual([kept.number]);
  });
});

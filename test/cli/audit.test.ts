// `promptops audit`: the log read back from tags PromptOps made and from the merges that moved
// pins, in every format, with a stable order and a round trip between JSON Lines and JSON.

import { execFileSync } from "node:child_process";
import { parse } from "csv-parse/sync";
import { main } from "../../src/cli/main.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";
import { echoPrompt, GOLDEN, identify, tagHead } from "./env-fixture.js";

async function run(cwd: string, ...args: string[]) {
  const io = recordingIO(cwd);
  const code = await main(args, io);
  return { code, out: io.out, err: io.err };
}

const PINS = ".github/prompt-environments.yml";

describe("promptops audit", () => {
  let repo: TempRepo;
  let tagged: string;
  let promoted: string;
  beforeAll(async () => {
    repo = tempRepo({ ".github/promptops.yml": "providers:\n  retries: 0\n" });
    identify(repo);
    repo.git("remote", "add", "origin", "git@github.com:acme/prompts.git");
    repo.commit("config");
    repo.write({ "prompts/summary.prompt.yml": echoPrompt("support/summary", "1.0.0", "Summarise {{word}}"), "prompts/summary.golden.jsonl": GOLDEN });
    tagged = repo.commit("summary 1.0.0");
    await tagHead(repo, "carol");
    // Promotions are dated by their merge commit; these come a day and two after the tag.
    const commitOnDay = (n: number, message: string) => {
      const date = new Date(Date.now() + n * 86_400_000).toISOString();
      execFileSync("git", ["add", "-A"], { cwd: repo.dir });
      execFileSync("git", ["commit", "-q", "-m", message], { cwd: repo.dir, env: { ...process.env, GIT_COMMITTER_DATE: date, GIT_AUTHOR_DATE: date } });
      return repo.git("rev-parse", "HEAD").trim();
    };
    repo.write({ [PINS]: "environments:\n  staging:\n    pins: { support/summary: 1.0.0 }\n" });
    commitOnDay(1, "Pin staging (#5)");
    repo.write({ [PINS]: "environments:\n  staging:\n    pins: { support/summary: 1.0.0 }\n  production:\n    promoteFrom: staging\n    pins: { support/summary: 1.0.0 }\n" });
    promoted = commitOnDay(2, "Promote support/summary to production (#6)");
  });
  afterAll(() => repo.cleanup());

  it("lists each tagged version with who approved it and on which commit, and each promotion", async () => {
    const { code, out } = await run(repo.dir, "audit", "--format", "json");
    expect(code).toBe(0);
    const events = JSON.parse(out);
    expect(events.map((e: { action: string; environment: { to: string } | null }) => [e.action, e.environment?.to ?? null])).toEqual([
      ["prompt.tagged", null],
      ["env.promoted", "staging"],
      ["env.promoted", "production"],
    ]);
    const [tag, , production] = events;
    expect(tag).toMatchObject({
      schema: 1,
      source: "cli",
      actor: "Test",
      repo: "acme/prompts",
      pr: null,
      headSha: tagged,
      prompt: { id: "support/summary", version: "1.0.0", path: "prompts/summary.prompt.yml" },
      eval: { model: "echo", baseScore: null, headScore: 1, verdict: "success" },
      approvals: [{ login: "carol", commit: tagged }],
      environment: null,
    });
    expect(production).toMatchObject({
      action: "env.promoted",
      source: "github",
      pr: 6,
      headSha: promoted,
      prompt: { id: "support/summary", version: "1.0.0", sha256: tag.prompt.sha256 },
      environment: { from: "staging", to: "production", previousVersion: null },
    });
  });

  it("JSON Lines parsed back equals the JSON, CSV holds the same events, and output is stable", async () => {
    const json = JSON.parse((await run(repo.dir, "audit", "--format", "json")).out);
    const jsonl = (await run(repo.dir, "audit")).out;
    expect(jsonl.trimEnd().split("\n").map((l) => JSON.parse(l))).toEqual(json);
    expect((await run(repo.dir, "audit")).out).toBe(jsonl);

    const csv = (await run(repo.dir, "audit", "--format", "csv")).out;
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(json.length);
    const nested = new Set(["prompt", "eval", "approvals", "environment"]);
    const back = rows.map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [k, v === "" ? null : nested.has(k) ? JSON.parse(v) : k === "schema" || k === "pr" ? Number(v) : v]),
      ),
    );
    expect(back).toEqual(json);
  });

  it("--since keeps later events only, and refuses a date it cannot read", async () => {
    const since = await run(repo.dir, "audit", "--since", "2999-01-01");
    expect(since).toEqual({ code: 0, out: "", err: "" });
    const bad = await run(repo.dir, "audit", "--since", "yesterday-ish");
    expect(bad.code).toBe(2);
    expect(bad.err).toBe('promptops: --since takes a date (YYYY-MM-DD), not "yesterday-ish"\n');
  });
});

// `promptops audit [--since DATE] [--format jsonl|csv|json] [--github [OWNER/REPO]]`: the audit
// log, read back from the repository: one event per tagged prompt version (its tag's audit
// record) and one per pin a merge moved in the pins file (the first-parent history of HEAD),
// with the approvals from the promotion's record tagged on its merge commit. Drift lives in
// GitHub issues, not in git: `--github` reads those too, through the API.

import type { Command } from "commander";
import { readConfig } from "../../core/config/load.js";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { auditLog, formatAuditLog, promotionEvents, taggedEvent, type AuditEvent, type AuditFormat } from "../../core/environments/audit-log.js";
import { pinChanges } from "../../core/environments/changes.js";
import { loadEnvironments } from "../../core/environments/load.js";
import { parsePromotionRecord, PROMOTION_TAG_PREFIX, promotionTagName, type PromotionRecord } from "../../core/environments/promotion-record.js";
import { parseAuditRecord } from "../../core/versions/audit.js";
import { git, gitTree, repoRoot, workingTree } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";
import { localTags, parseTagName } from "./versions.js";

const FORMATS: readonly AuditFormat[] = ["jsonl", "csv", "json"];

export function register(program: Command, io: CliIO): void {
  program
    .command("audit")
    .description("Export the audit log: tagged prompt versions, promotions and their approvals, and with --github drift (JSON Lines, CSV or JSON)")
    .option("--since <date>", "only events at or after this date (YYYY-MM-DD or an ISO date-time)")
    .option("--format <format>", "jsonl, csv or json", "jsonl")
    .option(
      "--github [owner/repo]",
      "also read drift.detected / drift.resolved from the repository's drift issues through GitHub's API (default: the origin remote's owner/repo; needs GITHUB_TOKEN, and GITHUB_API_URL for GitHub Enterprise Server)",
    )
    .option("--drift-writer <login...>", "with --github: the bot login(s) whose drift records count (default: github-actions[bot] and promptops[bot]; name your App's bot, e.g. my-promptops[bot])")
    .action(async (options: { since?: string; format: string; github?: string | true; driftWriter?: string[] }) => {
      if (!FORMATS.includes(options.format as AuditFormat)) throw new UsageError(`--format takes one of ${FORMATS.join(", ")}, not "${options.format}"`);
      if (options.since !== undefined && Number.isNaN(Date.parse(options.since))) throw new UsageError(`--since takes a date (YYYY-MM-DD), not "${options.since}"`);
      const root = await repoRoot(io.cwd);
      if (root === undefined) throw new UsageError(`not a git repository: ${io.cwd}`);
      const { config, diagnostics } = await readConfig(workingTree(root));
      if (diagnostics.some((d) => d.severity === "error")) {
        for (const d of diagnostics) io.stderr(`${formatDiagnostic(d)}\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      const repo = await repoName(root);
      const github = options.github !== undefined ? driftSource(options.github, repo, io.env, options.driftWriter) : undefined;
      const tags = await localTags(root);
      const events: AuditEvent[] = [];
      const hashes = new Map<string, string>();
      // The promotion records tagged on merge commits: who approved each promotion, and who merged it.
      const promotionRecords = new Map<string, PromotionRecord>();
      for (const tag of tags) {
        const record = tag.name.startsWith(PROMOTION_TAG_PREFIX) && tag.message !== undefined ? parsePromotionRecord(tag.message) : undefined;
        // The record names its pull request: a tag of another name holding it is not that record.
        if (record && record.mergeCommitSha === tag.commitSha && tag.name === promotionTagName(record.pr.number)) promotionRecords.set(tag.commitSha, record);
      }
      for (const tag of tags) {
        const record = tag.message !== undefined && parseTagName(config.versioning.tag, tag.name) ? parseAuditRecord(tag.message) : undefined;
        if (!record) continue;
        events.push(taggedEvent(record, repo));
        hashes.set(`${record.promptId}\0${record.version}`, record.contentSha256);
      }
      events.push(...(await promotions(root, config.environments.file, repo, hashes, promotionRecords)));
      if (github) {
        const { readDriftEvents } = await import("../drift-events.js");
        try {
          events.push(...(await readDriftEvents(github)));
        } catch (error) {
          // A log without the drift it was asked for would read as "no drift": an error instead.
          const status = (error as { status?: number }).status;
          throw new UsageError(`cannot read the drift issues of ${github.repo.owner}/${github.repo.repo}${status ? ` (HTTP ${status})` : ""}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
        }
      }
      io.stdout(formatAuditLog(auditLog(events, options.since), options.format as AuditFormat));
    });
}

/** Every first-parent commit of HEAD that changed the pins file, as promotion events. */
async function promotions(
  root: string,
  file: string,
  repo: string | null,
  hashes: ReadonlyMap<string, string>,
  records: ReadonlyMap<string, PromotionRecord>,
): Promise<AuditEvent[]> {
  let log: string;
  try {
    log = await git(root, ["log", "--first-parent", "--format=%H%x00%P%x00%cI%x00%an%x00%s", "HEAD", "--", file]);
  } catch {
    return []; // no commit yet
  }
  const events: AuditEvent[] = [];
  for (const line of log.split("\n")) {
    if (line === "") continue;
    const [commit, parents, time, actor, subject] = line.split("\0") as [string, string, string, string, string];
    const parent = parents.split(" ")[0] || null;
    const after = loadEnvironments(await textAt(root, commit, file), file).environments;
    const before = parent ? loadEnvironments(await textAt(root, parent, file), file).environments : { file, environments: [] };
    const changes = pinChanges(before, after);
    if (changes.length === 0) continue;
    const record = records.get(commit);
    const pr = record ? String(record.pr.number) : (/\(#(\d+)\)\s*$/.exec(subject)?.[1] ?? /^Merge pull request #(\d+)/.exec(subject)?.[1]);
    const sha256 = new Map(changes.filter((c) => c.to !== undefined && hashes.has(`${c.promptId}\0${c.to}`)).map((c) => [`${c.environment}\0${c.promptId}`, hashes.get(`${c.promptId}\0${c.to}`)!]));
    events.push(
      ...promotionEvents(
        {
          time: new Date(time).toISOString(),
          actor: record ? (record.mergedBy ?? record.author) : actor,
          commit,
          parent,
          pr: pr !== undefined ? Number(pr) : null,
          source: record?.source ?? (pr !== undefined ? "github" : "cli"),
          ...(record && { approvals: record.approvals.map((a) => ({ login: a.login, commit: a.commitSha ?? null })) }),
          changes,
          promoteFrom: new Map(after.environments.filter((e) => e.promoteFrom !== undefined).map((e) => [e.name, e.promoteFrom!])),
          sha256,
        },
        repo,
      ),
    );
  }
  return events;
}

async function textAt(root: string, commit: string, file: string): Promise<string | undefined> {
  const blob = (await gitTree(root, commit).read([file])).get(file);
  return blob?.kind === "text" ? blob.text : undefined;
}

function driftSource(option: string | true, origin: string | null, env: Record<string, string | undefined>, writers: string[] | undefined) {
  const name = option === true ? origin : option;
  if (name === null) throw new UsageError("--github needs owner/repo: the origin remote is not a GitHub repository");
  const m = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(name);
  if (!m) throw new UsageError(`--github takes owner/repo, not "${name}"`);
  const token = env.GITHUB_TOKEN?.trim() || env.GH_TOKEN?.trim();
  if (!token) throw new UsageError("--github reads the drift issues through GitHub's API: set GITHUB_TOKEN to a token that can read the repository's issues");
  const baseUrl = env.GITHUB_API_URL?.trim();
  const bad = writers?.find((login) => !/^[A-Za-z0-9-]+\[bot\]$/.test(login));
  if (bad !== undefined) throw new UsageError(`--drift-writer takes a bot login such as my-promptops[bot], not "${bad}": only an app's records count`);
  return { repo: { owner: m[1]!, repo: m[2]! }, token, env, ...(baseUrl ? { baseUrl } : {}), ...(writers ? { writers } : {}) };
}

/** `owner/name` of the `origin` remote when it is a GitHub-style URL, else null. */
async function repoName(root: string): Promise<string | null> {
  try {
    const url = (await git(root, ["remote", "get-url", "origin"])).trim();
    const m = /[/:]([^/:]+\/[^/]+?)(?:\.git)?$/.exec(url);
    return m ? m[1]! : null;
  } catch {
    return null;
  }
}

// `promptops versions [ID]`: the tagged versions of each prompt, read from the repository's
// local tags and their audit records, newest version first.

import type { Command } from "commander";
import semver from "semver";
import { readConfig } from "../../core/config/load.js";
import { formatDiagnostic } from "../../core/diagnostics.js";
import { parseAuditRecord, type AuditRecord } from "../../core/versions/audit.js";
import { isValidVersion } from "../../core/versions/bump.js";
import { git, repoRoot, workingTree } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

export interface LocalTag {
  name: string;
  /** The commit the tag points to (through the tag object for an annotated tag). */
  commitSha: string;
  annotated: boolean;
  /** The annotated tag's message. */
  message?: string;
  /** ISO 8601 date of the annotated tag. */
  taggedAt?: string;
}

export interface TaggedPromptVersion {
  version: string;
  tag: string;
  commit: string;
  annotated: boolean;
  taggedAt?: string;
  /** The audit record in the tag's message; absent for lightweight or foreign tags. */
  record?: AuditRecord;
}

export interface PromptVersions {
  id: string;
  versions: TaggedPromptVersion[];
}

const FIELDS = ["%(refname)", "%(objecttype)", "%(objectname)", "%(*objectname)", "%(taggerdate:iso-strict)", "%(contents)"];

/** Every tag of the repository at `cwd`, peeled to its commit, with annotated tags' messages. */
export async function localTags(cwd: string): Promise<LocalTag[]> {
  // Fields are NUL-separated and each record ends in NUL + newline: a message can hold newlines
  // but git never stores a NUL in one.
  const out = await git(cwd, ["for-each-ref", `--format=${FIELDS.join("%00")}%00`, "refs/tags/"]);
  const tags: LocalTag[] = [];
  for (const record of out.split("\0\n")) {
    const [ref, type, sha, peeled, date, contents] = record.split("\0");
    if (!ref?.startsWith("refs/tags/") || sha === undefined) continue;
    const annotated = type === "tag";
    tags.push({
      name: ref.slice("refs/tags/".length),
      commitSha: annotated && peeled ? peeled : sha,
      annotated,
      ...(annotated && contents !== undefined && { message: contents }),
      ...(annotated && date && { taggedAt: date }),
    });
  }
  return tags;
}

/** `{ id, version }` when `name` is a tag the template makes with a semver version, else undefined. */
export function parseTagName(template: string, name: string): { id: string; version: string } | undefined {
  if (!template.includes("{id}") || !template.includes("{version}")) return undefined;
  const pattern = template
    .split(/(\{id\}|\{version\})/)
    .map((part) => (part === "{id}" ? "(?<id>.+)" : part === "{version}" ? "(?<version>[^/]+)" : part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("");
  const m = new RegExp(`^${pattern}$`).exec(name);
  const id = m?.groups?.id;
  const version = m?.groups?.version;
  if (id === undefined || version === undefined || !isValidVersion(version)) return undefined;
  return { id, version };
}

/** Tags grouped by prompt id (sorted), each prompt's versions by semver, highest first. */
export function groupVersions(template: string, tags: readonly LocalTag[]): PromptVersions[] {
  const byId = new Map<string, TaggedPromptVersion[]>();
  for (const tag of tags) {
    const parsed = parseTagName(template, tag.name);
    if (!parsed) continue;
    const record = tag.message !== undefined ? parseAuditRecord(tag.message) : undefined;
    const entry: TaggedPromptVersion = {
      version: parsed.version,
      tag: tag.name,
      commit: tag.commitSha,
      annotated: tag.annotated,
      ...(tag.taggedAt !== undefined && { taggedAt: tag.taggedAt }),
      ...(record && { record }),
    };
    byId.set(parsed.id, [...(byId.get(parsed.id) ?? []), entry]);
  }
  return [...byId]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, versions]) => ({ id, versions: versions.sort((a, b) => semver.rcompare(a.version, b.version)) }));
}

export function register(program: Command, io: CliIO): void {
  program
    .command("versions")
    .description("List the tagged versions of each prompt (from local git tags and their audit records)")
    .argument("[id]", "only this prompt id")
    .option("--json", "print JSON")
    .action(async (id: string | undefined, options: { json?: boolean }) => {
      const root = await repoRoot(io.cwd);
      if (root === undefined) throw new UsageError(`not a git repository: ${io.cwd}`);
      const { config, diagnostics } = await readConfig(workingTree(root));
      const errors = diagnostics.filter((d) => d.severity === "error");
      if (errors.length > 0) {
        for (const d of errors) io.stderr(`${formatDiagnostic(d)}\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      const all = groupVersions(config.versioning.tag, await localTags(root));
      const prompts = id === undefined ? all : all.filter((p) => p.id === id);

      if (options.json) io.stdout(`${JSON.stringify({ prompts }, null, 2)}\n`);
      else if (prompts.length > 0) io.stdout(prompts.map(describe).join("\n"));
      if (prompts.length === 0) {
        if (!options.json) io.stderr(id === undefined ? "No prompt versions are tagged in this repository yet.\n" : `No tagged versions of prompt "${id}".\n`);
        // Asking for one prompt that has none is worth a non-zero exit in scripts.
        if (id !== undefined) io.setExitCode(EXIT.failed);
      }
    });
}

function describe(p: PromptVersions): string {
  const lines = [`${p.id} (${p.versions.length} ${p.versions.length === 1 ? "version" : "versions"})`];
  for (const v of p.versions) {
    const facts = v.record ? recordFacts(v.record) : v.annotated ? "no audit record in the tag message" : "lightweight tag, no audit record";
    const date = (v.record?.createdAt ?? v.taggedAt)?.slice(0, 10);
    lines.push(`  ${v.version}  ${v.tag}  ${v.commit.slice(0, 12)}${date ? `  ${date}` : ""}  ${facts}`);
  }
  return `${lines.join("\n")}\n`;
}

function recordFacts(r: AuditRecord): string {
  const score = (s: number | undefined) => (s === undefined ? "n/a" : s.toFixed(2));
  const scores = r.scores.base !== undefined || r.scores.head !== undefined ? `, score ${score(r.scores.base)} -> ${score(r.scores.head)}` : "";
  const approvers = r.approvers.length > 0 ? `approved by ${r.approvers.join(", ")}` : "no approvals";
  return `${r.pr ? `PR #${r.pr.number}` : "tagged outside GitHub"} by ${r.author}, ${approvers}, eval ${r.verdict}${scores}`;
}

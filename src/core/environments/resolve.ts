// Resolves each pin to what it names: the tag `prompts/<id>/v<version>`, the commit it points
// to, the prompt file there and that file's content hash, checked against the hash the tag's
// audit record carries.

import semver from "semver";
import type { TreeReader } from "../files.js";
import { promptFormatOf } from "../prompts/formats.js";
import { parsePromptBlob } from "../prompts/parse.js";
import { readReferencedFiles } from "../prompts/references.js";
import { parseAuditRecord, type AuditRecord } from "../versions/audit.js";
import { isValidVersion } from "../versions/bump.js";
import { contentFingerprint } from "../versions/fingerprint.js";
import { tagNameFor } from "../versions/tags.js";
import type { Environments, Pin } from "./model.js";

/** A tag as read from git or GitHub, peeled to its commit. */
export interface TagInfo {
  name: string;
  commitSha: string;
  /** The annotated tag's message (absent for a lightweight tag). */
  message?: string;
}

export type PinStatus = "ok" | "tag-missing" | "tag-moved";

export interface ResolvedPin extends Pin {
  environment: string;
  tag: string;
  status: PinStatus;
  commit?: string;
  /** The prompt file at the tag's commit. */
  path?: string;
  /** Content fingerprint of that file: what a service loading this pin must run. */
  sha256?: string;
  /** The audit record in the tag's message. */
  record?: AuditRecord;
  /** Why the status is not `ok`, or a note (a tag without an audit record). */
  detail?: string;
  /** The highest tagged version of this prompt, when it is above the pin. */
  newer?: string;
}

/** What a pin resolver reads: the tags, and the repository at a commit. */
export interface PinSources {
  template: string;
  tags: readonly TagInfo[];
  treeAt(commitSha: string): TreeReader;
}

/** Every pin of every environment, in file order. Tags are read once; each tagged file once. */
export async function resolvePins(envs: Environments, sources: PinSources): Promise<ResolvedPin[]> {
  const byName = new Map(sources.tags.map((t) => [t.name, t]));
  const fingerprints = new Map<string, Promise<{ path: string; sha256: string } | { error: string }>>();
  const out: ResolvedPin[] = [];
  for (const env of envs.environments) {
    for (const pin of env.pins) {
      const tagName = tagNameFor(sources.template, pin.promptId, pin.version);
      const newer = newestVersion(sources.template, pin.promptId, sources.tags);
      const base = { ...pin, environment: env.name, tag: tagName, ...(newer !== undefined && semver.gt(newer, pin.version) && { newer }) };
      const tag = byName.get(tagName);
      if (!tag) {
        out.push({ ...base, status: "tag-missing", detail: `tag ${tagName} does not exist` });
        continue;
      }
      const record = tag.message !== undefined ? parseAuditRecord(tag.message) : undefined;
      const key = `${tag.commitSha}\0${record?.path ?? ""}\0${pin.promptId}`;
      if (!fingerprints.has(key)) fingerprints.set(key, fingerprintAt(sources.treeAt(tag.commitSha), pin.promptId, record?.path));
      const found = await fingerprints.get(key)!;
      const resolved: ResolvedPin = { ...base, status: "ok", commit: tag.commitSha, ...(record && { record }) };
      if ("error" in found) {
        out.push({ ...resolved, status: "tag-moved", detail: found.error });
        continue;
      }
      resolved.path = found.path;
      resolved.sha256 = found.sha256;
      if (!record) resolved.detail = `tag ${tagName} has no audit record; its hash is read from the file`;
      else if (record.contentSha256 !== found.sha256) {
        resolved.status = "tag-moved";
        resolved.detail = `tag ${tagName} no longer carries the recorded content (recorded ${record.contentSha256.slice(0, 12)}, now ${found.sha256.slice(0, 12)})`;
      } else if (record.mergeCommitSha !== tag.commitSha) {
        resolved.status = "tag-moved";
        resolved.detail = `tag ${tagName} points to ${tag.commitSha.slice(0, 12)}, its record to ${record.mergeCommitSha.slice(0, 12)}`;
      }
      out.push(resolved);
    }
  }
  return out;
}

/**
 * The prompt `promptId` at a commit: the recorded path when the record names one, else the
 * first prompt file (in path order) whose id it is.
 */
async function fingerprintAt(tree: TreeReader, promptId: string, recordedPath: string | undefined): Promise<{ path: string; sha256: string } | { error: string }> {
  const candidates = recordedPath !== undefined ? [recordedPath] : (await tree.list()).filter((p) => promptFormatOf(p) !== undefined);
  const blobs = await tree.read(candidates);
  // The same reading as the review's, references included, so the fingerprints agree.
  const files = await readReferencedFiles(tree, candidates.map((path) => [path, blobs.get(path) ?? { kind: "missing" }] as const));
  for (const path of candidates) {
    const { prompt } = parsePromptBlob(path, blobs.get(path) ?? { kind: "missing" }, { files });
    if (prompt?.id === promptId) return { path, sha256: contentFingerprint(prompt) };
  }
  return { error: recordedPath !== undefined ? `${recordedPath} at ${tree.ref.slice(0, 12)} is not prompt ${promptId}` : `no prompt ${promptId} at ${tree.ref.slice(0, 12)}` };
}

/** Tagged versions of `promptId`, highest first. */
export function taggedVersions(template: string, promptId: string, tags: readonly TagInfo[]): string[] {
  const [prefix, suffix] = tagNameFor(template, promptId, "\u0000").split("\u0000") as [string, string];
  return tags
    .filter((t) => t.name.startsWith(prefix) && t.name.endsWith(suffix) && t.name.length > prefix.length + suffix.length)
    .map((t) => t.name.slice(prefix.length, t.name.length - suffix.length))
    .filter(isValidVersion)
    .sort(semver.rcompare);
}

function newestVersion(template: string, promptId: string, tags: readonly TagInfo[]): string | undefined {
  return taggedVersions(template, promptId, tags)[0];
}

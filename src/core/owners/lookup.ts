// Which owners file applies, and who owns one prompt: always decided from the base revision,
// so a pull request can never change its own owners.

import type { Diagnostic } from "../diagnostics.js";
import { unreadableReason, type FileBlob } from "../files.js";
import { ownerKind, ownersOf, parseOwnersFile, type OwnerRule } from "./codeowners.js";

/**
 * Owners files in the order they are looked for; the first that exists wins, even when it
 * cannot be used (as GitHub does with an oversized CODEOWNERS: it does not fall back).
 * The CODEOWNERS locations follow GitHub's search order.
 */
export function OWNERS_FILE_CANDIDATES(useCodeowners: boolean): string[] {
  const candidates = [".github/PROMPTOWNERS"];
  if (useCodeowners) candidates.push(".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS");
  return candidates;
}

export interface SelectedOwnersFile {
  /** Path of the owners file in use; undefined when none exists. */
  path?: string;
  rules: OwnerRule[];
  diagnostics: Diagnostic[];
}

/**
 * Picks the owners file from blobs read at the base commit (keys: the candidate paths; a
 * missing key counts as a missing file) and parses it.
 */
export function selectOwnersFile(useCodeowners: boolean, blobs: ReadonlyMap<string, FileBlob>): SelectedOwnersFile {
  for (const path of OWNERS_FILE_CANDIDATES(useCodeowners)) {
    const blob = blobs.get(path) ?? { kind: "missing" };
    switch (blob.kind) {
      case "missing":
        continue;
      case "text":
        return { path, ...parseOwnersFile(path, blob.text) };
      case "too-large":
        return unusable(path, `${path} is too large to read (${blob.size} bytes); no owners apply.`, "owners-file-too-large");
      case "binary":
        return unusable(path, `${path} is not UTF-8 text; no owners apply.`, "owners-syntax");
      case "outside":
        return unusable(path, `${path} ${unreadableReason(blob)}; no owners apply.`, "outside-repository");
    }
  }
  return { rules: [], diagnostics: [] };
}

function unusable(path: string, message: string, rule: string): SelectedOwnersFile {
  return { path, rules: [], diagnostics: [{ file: path, line: 1, column: 1, severity: "error", message, rule }] };
}

export type OwnerSource = "rules" | "prompt-file" | "default" | "none";

export interface PromptOwnersInput {
  /** The prompt's path on the base (for a new prompt, its head path). */
  path: string;
  /** Rules from the base revision's owners file. */
  rules: readonly OwnerRule[];
  /** `promptops.owners` of the prompt file on the base; undefined when the base has no such file. */
  basePromptOwners?: readonly string[];
  /** `promptops.owners` of the prompt file on the head. Never enforced. */
  headPromptOwners?: readonly string[];
  defaultOwners: readonly string[];
}

export interface PromptOwners {
  owners: string[];
  source: OwnerSource;
  /**
   * Owners the head declares that are not in force for this pull request: a new prompt's
   * owners, or a changed `promptops.owners`. They apply once merged; reports may show them.
   */
  unenforcedHeadOwners?: string[];
}

/**
 * Owners of one prompt, first found wins: a matching rule of the base owners file (a rule
 * with no owners means "explicitly unowned" and is honoured, as GitHub does), the base prompt
 * file's own `promptops.owners`, then `ownership.defaultOwners`.
 */
export function resolvePromptOwners(input: PromptOwnersInput): PromptOwners {
  const unenforced = unenforcedOwners(input.basePromptOwners, input.headPromptOwners);
  const withUnenforced = (result: PromptOwners): PromptOwners =>
    unenforced ? { ...result, unenforcedHeadOwners: unenforced } : result;

  const { owners, rule } = ownersOf(input.rules, input.path);
  if (rule) return withUnenforced({ owners, source: "rules" });
  const fromFile = normalizeOwners(input.basePromptOwners ?? []);
  if (fromFile.length > 0) return withUnenforced({ owners: fromFile, source: "prompt-file" });
  const defaults = normalizeOwners(input.defaultOwners);
  if (defaults.length > 0) return withUnenforced({ owners: defaults, source: "default" });
  return withUnenforced({ owners: [], source: "none" });
}

/**
 * Prompt files and config may name owners without the `@` (`alice`, `acme/support`); owners
 * files may not. Other tokens are kept as written so a later step can report them.
 */
export function normalizeOwners(owners: readonly string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of owners) {
    const token = raw.trim();
    if (token === "") continue;
    const withAt = !token.includes("@") && ownerKind(`@${token}`) ? `@${token}` : token;
    const key = withAt.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(withAt);
  }
  return out;
}

function unenforcedOwners(
  base: readonly string[] | undefined,
  head: readonly string[] | undefined,
): string[] | undefined {
  const headOwners = normalizeOwners(head ?? []);
  if (base === undefined) return headOwners.length > 0 ? headOwners : undefined;
  const key = (list: string[]) => list.map((o) => o.toLowerCase()).sort().join("\n");
  if (head === undefined || key(headOwners) === key(normalizeOwners(base))) return undefined;
  return headOwners;
}

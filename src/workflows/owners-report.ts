// Where the ownership decision shows on GitHub: the `promptops/owners` check run on the head
// commit (one per head SHA, updated in place) and a sticky comment for notices people must act on.

import type { Diagnostic } from "../core/diagnostics.js";
import { renderOwnersSummary, type OwnerApprovalResult } from "../core/owners/approvals.js";
import { escapeInline, inlineCode } from "../core/report/escape.js";
import type { CheckAnnotation, CheckRun, GitHubPort, PullRef, RepoRef } from "../github/port.js";
import { isOwnRun } from "./deps.js";

export const OWNERS_CHECK_NAME = "promptops/owners";
/** Its own marker: the review workflow writes its sticky comment at the same time, and two
 * writers doing read-modify-write on one comment would lose each other's updates. */
export const OWNERS_COMMENT_MARKER = "<!-- promptops:owners -->";

/**
 * `in_progress` while owners have not approved: branch protection treats a check that is not
 * completed as pending, so merging stays blocked, and it is not a failure (nothing is wrong,
 * someone has yet to act). `failure` only when the rules themselves cannot be known.
 */
export type OwnersCheckState = (
  | { status: "in_progress"; title: string; summary: string }
  | { status: "completed"; conclusion: "success" | "failure"; title: string; summary: string }
) & {
  /** Problems at file:line (the promotion check's pins file). */
  annotations?: CheckAnnotation[];
};

/**
 * Creates the check on `headSha` once and updates it afterwards. A completed run is never
 * reopened: GitHub shows the newest run of a name, so going back to pending (an approval
 * dismissed) creates a fresh run. Nothing is written when the run already says the same.
 * With `appId`, runs of the same name made by another app are ignored (GitHub refuses to update them).
 */
export async function publishOwnersCheck(
  github: GitHubPort,
  repo: RepoRef,
  headSha: string,
  state: OwnersCheckState,
  appId?: number,
  name: string = OWNERS_CHECK_NAME,
): Promise<CheckRun> {
  const existing = (await github.listCheckRuns(repo, headSha, name)).find((r) => isOwnRun(r, appId));
  const output = { title: state.title, summary: state.summary, ...(state.annotations?.length ? { annotations: state.annotations } : {}) };
  const conclusion = state.status === "completed" ? state.conclusion : null;
  if (existing) {
    const same =
      existing.status === state.status &&
      existing.conclusion === conclusion &&
      existing.output.title === state.title &&
      existing.output.summary === state.summary;
    if (same) return existing;
    if (existing.status !== "completed" || state.status === "completed") {
      return github.updateCheckRun(repo, existing.id, {
        status: state.status,
        ...(state.status === "completed" ? { conclusion: state.conclusion } : {}),
        output,
      });
    }
  }
  return github.createCheckRun(repo, {
    name,
    headSha,
    status: state.status,
    ...(state.status === "completed" ? { conclusion: state.conclusion } : {}),
    output,
  });
}

export interface OwnersSummaryInput {
  result: OwnerApprovalResult;
  /** Sentences already safe as Markdown (names in code spans). */
  notices: readonly string[];
  diagnostics: readonly Diagnostic[];
  ownersFile?: string;
  /** Owners the head declares that are not in force for this pull request, by prompt id. */
  unenforced: { promptId: string; owners: string[] }[];
  /** The pull request edits the owners file in force. */
  editsOwnersFile: boolean;
}

export function renderOwnersCheckSummary(input: OwnersSummaryInput): string {
  const parts = [renderOwnersSummary(input.result)];
  const source = input.ownersFile
    ? `Owners come from ${inlineCode(input.ownersFile)} on the base branch, then each prompt file's \`promptops.owners\`, then \`ownership.defaultOwners\`.`
    : "No owners file on the base branch: owners come from each prompt file's `promptops.owners`, then `ownership.defaultOwners`.";
  parts.push(source);
  const notes: string[] = [];
  if (input.editsOwnersFile && input.ownersFile) {
    notes.push(`This pull request changes ${inlineCode(input.ownersFile)}; as on GitHub, the new rules apply once merged, not to this pull request.`);
  }
  for (const u of input.unenforced) {
    notes.push(
      `${inlineCode(u.promptId)}: this pull request declares owners ${u.owners.map((o) => inlineCode(o)).join(", ")}; they apply once merged.`,
    );
  }
  notes.push(...input.notices);
  if (notes.length > 0) parts.push(`### Notes\n\n${notes.map((n) => `- ${n}`).join("\n")}`);
  if (input.diagnostics.length > 0) parts.push(`### Problems\n\n${renderDiagnostics(input.diagnostics)}`);
  return `${parts.map((p) => p.trimEnd()).join("\n\n")}\n`;
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[]): string {
  return diagnostics
    .map((d) => `- ${inlineCode(`${d.file}:${d.line}:${d.column}`)} ${d.severity}: ${escapeInline(d.message)}`)
    .join("\n");
}

/** The notice comment, upserted under its own marker; nothing is posted without notices. */
export async function postOwnersNotices(
  github: GitHubPort,
  pr: PullRef,
  headSha: string,
  notices: readonly string[],
): Promise<boolean> {
  if (notices.length === 0) return false;
  const body = [
    OWNERS_COMMENT_MARKER,
    "### PromptOps: prompt owners",
    "",
    `While asking the owners of the changed prompts for a review (at ${inlineCode(headSha.slice(0, 7))}):`,
    "",
    ...notices.map((n) => `- ${n}`),
    "",
  ].join("\n");
  await github.upsertComment(pr, OWNERS_COMMENT_MARKER, body);
  return true;
}

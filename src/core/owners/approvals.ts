// Whether every changed prompt has an owner's approval: the decision behind the
// `promptops/owners` check. Team membership is fetched beforehand, so this stays pure.

import { escapeInline, inlineCode } from "../report/escape.js";
import { ownerKind } from "./codeowners.js";

export interface ReviewLike {
  user: string;
  /** GitHub's review state: `APPROVED`, `CHANGES_REQUESTED`, `COMMENTED`, `DISMISSED`, `PENDING`. */
  state: string;
  commitId: string;
  /** ISO 8601; reviews without it (pending ones) are ignored. */
  submittedAt?: string;
}

export interface OwnerApprovalInput {
  prompts: { promptId: string; path: string; owners: readonly string[] }[];
  reviews: readonly ReviewLike[];
  headSha: string;
  /** `ownership.dismissStaleApprovals`: approvals of an older commit do not count. */
  dismissStale: boolean;
  author: string;
  /** Members (logins) of `org/team`, fetched for every pair `teamsToCheck` lists. */
  teamMembers: (org: string, team: string) => readonly string[] | ReadonlySet<string>;
  /**
   * Approvers accepted when the author is a prompt's only owner (`ownership.fallbackReviewers`,
   * `@user` or `@org/team`). When empty, any approval other than the author's is accepted,
   * as GitHub does when the author owns the file.
   */
  fallbackReviewers?: readonly string[];
}

export interface PromptApproval {
  promptId: string;
  path: string;
  owners: string[];
  /** Logins whose approval counts for this prompt. */
  approvedBy: string[];
  satisfied: boolean;
  /** Why it is (not) satisfied, when that is not simply "an owner approved". */
  reason?: string;
}

export interface OwnerApprovalResult {
  satisfied: boolean;
  prompts: PromptApproval[];
}

/**
 * A prompt is satisfied by one approval from any of its owners (a user owner, or any member of
 * a team owner), as GitHub's code-owner review is. Only each reviewer's latest decisive review
 * counts. A prompt with no owners is satisfied, and says so: there is nobody to ask; use
 * `ownership.defaultOwners` to require someone.
 */
export function evaluateOwnerApprovals(input: OwnerApprovalInput): OwnerApprovalResult {
  const author = normalizeLogin(input.author);
  const latest = latestDecisiveReviews(input.reviews);

  const approvers: string[] = [];
  const stale: { login: string; commitId: string }[] = [];
  for (const [key, review] of latest) {
    if (review.state !== "APPROVED" || key === author) continue;
    if (input.dismissStale && review.commitId !== input.headSha) {
      stale.push({ login: review.user.replace(/^@/, ""), commitId: review.commitId });
      continue;
    }
    approvers.push(review.user.replace(/^@/, ""));
  }
  const changesRequested = [...latest.values()]
    .filter((r) => r.state === "CHANGES_REQUESTED")
    .map((r) => r.user.replace(/^@/, ""));

  const prompts = input.prompts.map((prompt): PromptApproval => {
    const owners = [...prompt.owners];
    const base = { promptId: prompt.promptId, path: prompt.path, owners };
    if (owners.length === 0) {
      return { ...base, approvedBy: [], satisfied: true, reason: "no owners, so no approval is required" };
    }
    const authorOnly = owners.every((o) => ownerKind(o) === "user" && normalizeLogin(o) === author);
    const fallback = input.fallbackReviewers ?? [];
    const accepted = authorOnly ? fallback.map((r) => (r.includes("@") ? r : `@${r}`)) : owners;
    const counts = (login: string) =>
      authorOnly && fallback.length === 0 ? true : accepted.some((owner) => ownerCovers(owner, login, input.teamMembers));
    const approvedBy = approvers.filter(counts);
    if (approvedBy.length > 0) {
      return authorOnly
        ? { ...base, approvedBy, satisfied: true, reason: "the author is the only owner; approved by another reviewer" }
        : { ...base, approvedBy, satisfied: true };
    }
    const reason = waitingReason(
      authorOnly,
      fallback,
      owners,
      stale.filter((s) => counts(s.login)),
      changesRequested.filter(counts),
      input.headSha,
    );
    return { ...base, approvedBy, satisfied: false, reason };
  });
  return { satisfied: prompts.every((p) => p.satisfied), prompts };
}

/**
 * The `org/team` pairs whose members `evaluateOwnerApprovals` needs: team owners, plus teams
 * among the fallback reviewers (they approve when the author is the only owner).
 */
export function teamsToCheck(
  prompts: readonly { owners: readonly string[] }[],
  fallbackReviewers: readonly string[] = [],
): { org: string; team: string }[] {
  const seen = new Set<string>();
  const out: { org: string; team: string }[] = [];
  const fallback = fallbackReviewers.map((r) => (r.includes("@") ? r : `@${r}`));
  for (const owners of [...prompts.map((p) => p.owners), fallback]) {
    for (const owner of owners) {
      if (ownerKind(owner) !== "team") continue;
      const [org, team] = owner.slice(1).split("/");
      const key = `${org}/${team}`.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ org, team });
    }
  }
  return out;
}

/** Markdown for the `promptops/owners` check summary; mentions are defused so nobody is pinged. */
export function renderOwnersSummary(result: OwnerApprovalResult): string {
  if (result.prompts.length === 0) return "No changed prompts: no owner approval is needed.\n";
  const approved = result.prompts.filter((p) => p.satisfied).length;
  const lines = [
    result.satisfied
      ? `All ${result.prompts.length} changed prompt(s) have their owners' approval.`
      : `${approved} of ${result.prompts.length} changed prompt(s) have their owners' approval.`,
    "",
    "| Prompt | Owners | Approved by | Status |",
    "| --- | --- | --- | --- |",
  ];
  for (const p of result.prompts) {
    const prompt = `${escapeInline(p.promptId)}<br>${inlineCode(p.path, { table: true })}`;
    const owners = p.owners.length > 0 ? p.owners.map((o) => escapeInline(o)).join(", ") : "none";
    const approvedBy = p.approvedBy.length > 0 ? p.approvedBy.map((u) => escapeInline(`@${u}`)).join(", ") : "—";
    const label = p.satisfied ? (p.approvedBy.length > 0 ? "✅ approved" : "✅ not required") : "⏳ waiting";
    const status = `${label}${p.reason ? `: ${escapeInline(p.reason)}` : ""}`;
    lines.push(`| ${prompt} | ${owners} | ${approvedBy} | ${status} |`);
  }
  return `${lines.join("\n")}\n`;
}

function normalizeLogin(login: string): string {
  return login.replace(/^@/, "").toLowerCase();
}

// GitHub's rule: a COMMENTED review does not replace an earlier APPROVED or CHANGES_REQUESTED,
// a DISMISSED review withdraws it, PENDING ones are not submitted yet.
/**
 * Each user's review that counts now, as GitHub counts it: the latest APPROVED or
 * CHANGES_REQUESTED (a later COMMENTED review does not override it); DISMISSED removes it.
 * Keyed by lower-case login.
 */
export function latestDecisiveReviews<R extends ReviewLike>(reviews: readonly R[]): Map<string, R> {
  const ordered = reviews
    .map((review, index) => ({ review, index }))
    .filter(({ review }) => review.submittedAt !== undefined && review.state !== "PENDING")
    .sort((a, b) => Date.parse(a.review.submittedAt!) - Date.parse(b.review.submittedAt!) || a.index - b.index);
  const latest = new Map<string, R>();
  for (const { review } of ordered) {
    const key = normalizeLogin(review.user);
    if (review.state === "APPROVED" || review.state === "CHANGES_REQUESTED") latest.set(key, review);
    else if (review.state === "DISMISSED") latest.delete(key);
  }
  return latest;
}

/** The reviews approving right now, the author's own excluded (it never counts). */
export function currentApprovals<R extends ReviewLike>(reviews: readonly R[], author: string): R[] {
  const authorKey = normalizeLogin(author);
  return [...latestDecisiveReviews(reviews)].filter(([key, r]) => r.state === "APPROVED" && key !== authorKey).map(([, r]) => r);
}

function ownerCovers(
  owner: string,
  login: string,
  teamMembers: OwnerApprovalInput["teamMembers"],
): boolean {
  const kind = ownerKind(owner);
  if (kind === "user") return normalizeLogin(owner) === login.toLowerCase();
  if (kind === "team") {
    const [org, team] = owner.slice(1).split("/");
    for (const member of teamMembers(org, team)) if (member.toLowerCase() === login.toLowerCase()) return true;
  }
  // An email owner cannot be mapped to a login here; it never approves by itself.
  return false;
}

function waitingReason(
  authorOnly: boolean,
  fallback: readonly string[],
  owners: readonly string[],
  stale: { login: string; commitId: string }[],
  changesRequested: string[],
  headSha: string,
): string {
  const parts: string[] = [];
  if (authorOnly) {
    parts.push(
      fallback.length > 0
        ? `the author is the only owner; needs an approval from one of ${fallback.join(", ")}`
        : "the author is the only owner; needs another reviewer's approval",
    );
  } else {
    parts.push(`needs an approval from one of ${owners.join(", ")}`);
    if (owners.every((o) => ownerKind(o) === "email")) {
      parts.push("owners named by email cannot be matched to a reviewer; name them as @login");
    }
  }
  for (const s of stale) {
    parts.push(`approval by @${s.login} is for ${s.commitId.slice(0, 7)}, not the head ${headSha.slice(0, 7)}`);
  }
  if (changesRequested.length > 0) parts.push(`changes requested by ${changesRequested.map((u) => `@${u}`).join(", ")}`);
  return parts.join("; ");
}

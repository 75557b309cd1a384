// Whom to ask for a review: the owners of the changed prompts as GitHub reviewers (users and
// team slugs), never the author, never twice, never someone already asked or approving.

import { ownerKind } from "./codeowners.js";

export interface ReviewRequestInput {
  prompts: { promptId: string; owners: readonly string[] }[];
  /** Login of the pull request's author. */
  author: string;
  /** Reviewers already requested on the pull request (logins, team slugs). */
  alreadyRequested: { users: readonly string[]; teams: readonly string[] };
  /** Users whose latest review is APPROVED. */
  approvedBy: readonly string[];
  /** Requested when the author is a prompt's only owner (`ownership.fallbackReviewers`). */
  fallbackReviewers: readonly string[];
  /**
   * The organization owning the repository. GitHub can only request teams of that organization
   * (the API takes bare slugs), so a team of another one is reported instead of requested.
   */
  repoOwner?: string;
}

export interface ReviewRequestPlan {
  /** Logins, without `@`. */
  users: string[];
  /** Team slugs, without the organization. */
  teams: string[];
  /** Owners named by email: GitHub cannot request a review from an address. */
  emails: string[];
  /** Sentences for the owners check summary (names in code spans, so nobody is pinged). */
  notices: string[];
}

export function planReviewRequests(input: ReviewRequestInput): ReviewRequestPlan {
  const plan: ReviewRequestPlan = { users: [], teams: [], emails: [], notices: [] };
  const lower = (s: string) => s.toLowerCase();
  const author = lower(input.author.replace(/^@/, ""));
  const skipUsers = new Set([author, ...input.alreadyRequested.users, ...input.approvedBy].map((u) => lower(u.replace(/^@/, ""))));
  const skipTeams = new Set(input.alreadyRequested.teams.map((t) => lower(teamSlug(t))));
  const seenEmails = new Set<string>();
  const seenInvalid = new Set<string>();

  const request = (owner: string, promptId: string) => {
    switch (ownerKind(owner)) {
      case "user": {
        const login = owner.slice(1);
        if (skipUsers.has(lower(login))) return;
        skipUsers.add(lower(login));
        plan.users.push(login);
        return;
      }
      case "team": {
        const slug = teamSlug(owner);
        const org = owner.slice(1, owner.indexOf("/"));
        if (input.repoOwner !== undefined && lower(org) !== lower(input.repoOwner)) {
          if (seenInvalid.has(owner)) return;
          seenInvalid.add(owner);
          plan.notices.push(
            `\`${owner}\` owns \`${promptId}\` but is a team of another organization than \`${input.repoOwner}\`: GitHub can only request teams of the repository's organization.`,
          );
          return;
        }
        if (skipTeams.has(lower(slug))) return;
        skipTeams.add(lower(slug));
        plan.teams.push(slug);
        return;
      }
      case "email": {
        if (seenEmails.has(lower(owner))) return;
        seenEmails.add(lower(owner));
        plan.emails.push(owner);
        plan.notices.push(
          `\`${owner}\` owns \`${promptId}\` but is an email address: GitHub cannot request a review from it; name the user as @login to request them.`,
        );
        return;
      }
      default: {
        if (seenInvalid.has(owner)) return;
        seenInvalid.add(owner);
        plan.notices.push(`\`${owner}\` (owner of \`${promptId}\`) is not @user, @org/team or an email address; not requested.`);
      }
    }
  };

  for (const prompt of input.prompts) {
    if (prompt.owners.length === 0) {
      plan.notices.push(`\`${prompt.promptId}\` has no owners; nobody is requested for it.`);
      continue;
    }
    const authorOnly = prompt.owners.every((o) => ownerKind(o) === "user" && lower(o.slice(1)) === author);
    if (!authorOnly) {
      for (const owner of prompt.owners) request(owner, prompt.promptId);
      continue;
    }
    if (input.fallbackReviewers.length === 0) {
      plan.notices.push(
        `The author \`@${input.author.replace(/^@/, "")}\` is the only owner of \`${prompt.promptId}\` and no fallback reviewers are configured (ownership.fallbackReviewers); someone else must approve it.`,
      );
      continue;
    }
    for (const reviewer of input.fallbackReviewers) request(normalizeFallback(reviewer), prompt.promptId);
  }
  return plan;
}

/** `@org/team` -> `team`; a bare slug stays as is. */
function teamSlug(team: string): string {
  const slash = team.indexOf("/");
  return slash === -1 ? team.replace(/^@/, "") : team.slice(slash + 1);
}

// Config lists may omit the `@` (`alice`, `acme/reviewers`).
function normalizeFallback(reviewer: string): string {
  return reviewer.includes("@") ? reviewer : `@${reviewer}`;
}

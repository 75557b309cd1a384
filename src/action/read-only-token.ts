// A workflow run for a pull request from a fork gets a read-only token: GitHub answers every
// write with 403 "Resource not accessible by integration". The review must still run and be
// reported (the job summary, the outputs), so writes refused that way are kept here instead of
// failing the review: check runs live in memory for the run, comments and review requests are
// dropped, and the run says what could not be posted.

import { githubMessage, httpStatus } from "../github/errors.js";
import type { CheckRun, CheckRunInput, GitHubPort } from "../github/port.js";

export interface ReadOnlyWrites {
  /** What GitHub refused, e.g. `the promptops/eval check run`. */
  readonly refused: string[];
}

/** Whether GitHub refused a write because the token may only read. */
export function isReadOnlyRefusal(error: unknown): boolean {
  return httpStatus(error) === 403 && /not accessible by integration/i.test(githubMessage(error));
}

/** Ids of check runs kept in memory are negative: never confused with GitHub's, never reported as posted. */
export function isPosted(id: number | undefined): id is number {
  return id !== undefined && id > 0;
}

export function readOnlyFallback(port: GitHubPort): GitHubPort & ReadOnlyWrites {
  const refused: string[] = [];
  const local = new Map<number, CheckRun>();
  let nextId = -1;
  const refuse = (what: string) => {
    if (!refused.includes(what)) refused.push(what);
  };
  const keep = (input: Partial<CheckRunInput>, run?: CheckRun): CheckRun => {
    const kept: CheckRun = {
      id: run?.id ?? nextId--,
      name: input.name ?? run?.name ?? "",
      headSha: input.headSha ?? run?.headSha ?? "",
      status: input.conclusion ? "completed" : (input.status ?? run?.status ?? "queued"),
      conclusion: input.conclusion ?? run?.conclusion ?? null,
      htmlUrl: "",
      ...(input.externalId ?? run?.externalId ? { externalId: input.externalId ?? run?.externalId } : {}),
      output: input.output ? { title: input.output.title, summary: input.output.summary, text: input.output.text ?? null } : (run?.output ?? { title: null, summary: null }),
    };
    local.set(kept.id, kept);
    return kept;
  };
  async function orKeep<T>(what: string, write: () => Promise<T>, instead: () => T): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (!isReadOnlyRefusal(error)) throw error;
      refuse(what);
      return instead();
    }
  }
  return {
    ...port,
    refused,
    createCheckRun: (repo, input) => orKeep(`the ${input.name} check run`, () => port.createCheckRun(repo, input), () => keep(input)),
    updateCheckRun: (repo, id, input) => {
      const kept = local.get(id);
      if (kept) return Promise.resolve(keep(input, kept));
      return orKeep("a check run update", () => port.updateCheckRun(repo, id, input), () => keep(input, { id, name: "", headSha: "", status: "queued", conclusion: null, htmlUrl: "", output: { title: null, summary: null } }));
    },
    upsertComment: (pr, marker, body) => orKeep("the pull request comment", () => port.upsertComment(pr, marker, body), () => ({ id: 0, created: false })),
    createComment: (pr, body) => orKeep("a pull request comment", () => port.createComment(pr, body), () => ({ id: 0 })),
    requestReviewers: (pr, reviewers) =>
      orKeep("review requests", () => port.requestReviewers(pr, reviewers), () => ({ requestedUsers: [], requestedTeams: [], failures: [] })),
  };
}

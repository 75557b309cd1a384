// The drift events of the audit log, read from GitHub: git holds the tags and the promotions,
// but drift is found by the scheduled check and recorded in its issues (one per environment),
// so `promptops audit --github` reads those issues through the API.

import { driftEvents, type AuditEvent } from "../core/environments/audit-log.js";
import { parseDriftRecords } from "../core/environments/drift-record.js";
import { DRIFT_ISSUE_LABEL } from "../core/environments/drift-report.js";
import { createOctokit } from "../github/client.js";
import { listLabelledIssuesWithComments } from "../github/issues.js";
import type { RepoRef } from "../github/port.js";

export interface DriftSource {
  repo: RepoRef;
  token: string;
  /** GitHub Enterprise Server's `https://HOST/api/v3`; default github.com. */
  baseUrl?: string;
  env: Record<string, string | undefined>;
  /** The logins whose records count (default: DRIFT_WRITERS). */
  writers?: readonly string[];
}

/**
 * Who writes drift issues: the Action with the workflow's token, and the App under its usual
 * name; `--drift-writer LOGIN` names an App installed under another one.
 */
export const DRIFT_WRITERS: readonly string[] = ["github-actions[bot]", "promptops[bot]"];

/**
 * Records count only when PromptOps wrote them: issues opened by one of the writers (logins
 * ending in `[bot]` are apps', which no person can take), and in them, only the opener's own
 * comments. Any other app (a dependency updater, another workflow echoing text) and any person
 * pasting a record write no event.
 */
export async function readDriftEvents(source: DriftSource): Promise<AuditEvent[]> {
  const octokit = createOctokit({ auth: source.token, env: source.env, ...(source.baseUrl ? { baseUrl: source.baseUrl } : {}) });
  const issues = await listLabelledIssuesWithComments(octokit, source.repo, DRIFT_ISSUE_LABEL);
  const name = `${source.repo.owner}/${source.repo.repo}`;
  return issues
    .filter(({ issue }) => issue.author.endsWith("[bot]") && (source.writers ?? DRIFT_WRITERS).includes(issue.author))
    .flatMap(({ issue, comments }) =>
      driftEvents(
        {
          issue: issue.number,
          actor: issue.author,
          records: [issue.body, ...comments.filter((c) => c.author === issue.author).map((c) => c.body)].flatMap(parseDriftRecords),
        },
        name,
      ),
    );
}

// The sticky comment: one comment per pull request, found again by a hidden marker *and* by
// its author, and edited in place. Anyone can paste the marker into a comment of their own, so
// only comments this host wrote are ever edited or deleted. Two deliveries racing may both
// create one; the loser's copy is deleted right after.

import { COMMENT_LIMIT, clipUtf8, utf8Length } from "../core/report/truncate.js";
import { httpStatus } from "./errors.js";
import type { OctokitLike, PortLogger } from "./octokit-like.js";
import type { PullRef, WriterIdentity } from "./port.js";
import type { RestComment } from "./rest-types.js";

/**
 * Decides whether a comment is this host's own. Logins learnt from comments it created are
 * added, so a host that could not name itself still recognises what it wrote in this process.
 */
export class CommentOwnership {
  private readonly logins = new Set<string>();
  private readonly appId: number | undefined;

  constructor(identity: WriterIdentity = {}) {
    this.appId = identity.appId;
    if (identity.login) this.logins.add(identity.login.toLowerCase());
  }

  isOwn(comment: RestComment): boolean {
    const app = comment.performed_via_github_app?.id;
    if (this.appId !== undefined && app === this.appId) return true;
    const login = comment.user?.login?.toLowerCase();
    return login !== undefined && this.logins.has(login);
  }

  /** Remembers the author of a comment this host just created. */
  learn(created: RestComment): void {
    if (created.user?.login) this.logins.add(created.user.login.toLowerCase());
  }
}

export interface UpsertOptions {
  ownership: CommentOwnership;
  logger?: PortLogger;
}

export async function upsertComment(
  octokit: OctokitLike,
  pr: PullRef,
  marker: string,
  body: string,
  options: UpsertOptions,
): Promise<{ id: number; created: boolean }> {
  if (!marker) throw new Error("upsertComment needs a non-empty marker.");
  const { ownership, logger } = options;
  body = clipCommentBody(body, marker);
  const existing = await markedComments(octokit, pr, marker, ownership);
  if (existing.length > 0) {
    const [keep, ...duplicates] = existing;
    if (keep.body !== body) await updateComment(octokit, pr, keep.id, body);
    // Duplicates left by an earlier race whose check came too soon to see both.
    await deleteComments(octokit, pr, duplicates, logger);
    return { id: keep.id, created: false };
  }

  const { data } = await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
  const created = data as RestComment;
  ownership.learn(created);
  const after = await markedComments(octokit, pr, marker, ownership);
  if (after.length <= 1) return { id: created.id, created: true };

  // Every racer sees the same list and keeps the same (oldest) comment, so they converge.
  const [keep, ...duplicates] = after;
  if (keep.id !== created.id) await updateComment(octokit, pr, keep.id, body);
  await deleteComments(octokit, pr, duplicates, logger);
  return { id: keep.id, created: keep.id === created.id };
}

/** Edits this host's oldest comment holding `marker`, if any; nothing is created or deleted. */
export async function editComment(
  octokit: OctokitLike,
  pr: PullRef,
  marker: string,
  body: string,
  ownership: CommentOwnership,
): Promise<{ id: number } | undefined> {
  body = clipCommentBody(body, marker);
  const [keep] = await markedComments(octokit, pr, marker, ownership);
  if (!keep) return undefined;
  if (keep.body !== body) await updateComment(octokit, pr, keep.id, body);
  return { id: keep.id };
}

/**
 * Cuts `body` to GitHub's 65,536 limit with a visible note, keeping `marker` so the comment is
 * still found again. The limit is counted in UTF-8 bytes: GitHub stores bytes, and a body of
 * Japanese text under the limit in characters can be three times over it in bytes. Renderers
 * that can drop whole sections fit themselves first; this is the last guard.
 */
export function clipCommentBody(body: string, marker = "", limit = COMMENT_LIMIT): string {
  if (utf8Length(body) <= limit) return body;
  const note = `\n\n… (truncated to fit GitHub's ${limit.toLocaleString("en-US")}-byte comment limit)`;
  const markerLine = marker !== "" && body.includes(marker) ? `\n${marker}` : "";
  const head = clipUtf8(body, limit - utf8Length(note) - utf8Length(markerLine));
  return head + note + (head.includes(marker) ? "" : markerLine);
}

/** This host's comments carrying `marker`, oldest first. */
async function markedComments(octokit: OctokitLike, pr: PullRef, marker: string, ownership: CommentOwnership): Promise<RestComment[]> {
  const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  })) as RestComment[];
  return comments
    .filter((c) => typeof c.body === "string" && c.body.includes(marker) && ownership.isOwn(c))
    .sort((a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id - b.id));
}

async function updateComment(octokit: OctokitLike, pr: PullRef, id: number, body: string): Promise<void> {
  await octokit.rest.issues.updateComment({ owner: pr.owner, repo: pr.repo, comment_id: id, body });
}

async function deleteComments(octokit: OctokitLike, pr: PullRef, comments: RestComment[], logger?: PortLogger): Promise<void> {
  for (const comment of comments) {
    try {
      await octokit.rest.issues.deleteComment({ owner: pr.owner, repo: pr.repo, comment_id: comment.id });
      logger?.debug?.(`Deleted duplicate sticky comment ${comment.id} on ${pr.owner}/${pr.repo}#${pr.number}.`);
    } catch (error) {
      // The other racer deleted it first.
      if (httpStatus(error) !== 404) throw error;
    }
  }
}

// The sticky comment: one comment per pull request, found again by a hidden marker and edited
// in place. Two deliveries racing may both create one; the loser's copy is deleted right after.

import { COMMENT_LIMIT } from "../core/report/truncate.js";
import { httpStatus } from "./errors.js";
import type { OctokitLike, PortLogger } from "./octokit-like.js";
import type { PullRef } from "./port.js";
import type { RestComment } from "./rest-types.js";

export async function upsertComment(
  octokit: OctokitLike,
  pr: PullRef,
  marker: string,
  body: string,
  logger?: PortLogger,
): Promise<{ id: number; created: boolean }> {
  if (!marker) throw new Error("upsertComment needs a non-empty marker.");
  body = clipCommentBody(body, marker);
  const existing = await markedComments(octokit, pr, marker);
  if (existing.length > 0) {
    const [keep, ...duplicates] = existing;
    if (keep.body !== body) await updateComment(octokit, pr, keep.id, body);
    // Duplicates left by an earlier race whose check came too soon to see both.
    await deleteComments(octokit, pr, duplicates, logger);
    return { id: keep.id, created: false };
  }

  const { data } = await octokit.rest.issues.createComment({ owner: pr.owner, repo: pr.repo, issue_number: pr.number, body });
  const created = data as RestComment;
  const after = await markedComments(octokit, pr, marker);
  if (after.length <= 1) return { id: created.id, created: true };

  // Every racer sees the same list and keeps the same (oldest) comment, so they converge.
  const [keep, ...duplicates] = after;
  if (keep.id !== created.id) await updateComment(octokit, pr, keep.id, body);
  await deleteComments(octokit, pr, duplicates, logger);
  return { id: keep.id, created: keep.id === created.id };
}

/**
 * Cuts `body` to GitHub's 65,536-character limit (422 "Body is too long" otherwise) with a
 * visible note, keeping `marker` so the comment is still found again. Renderers that can drop
 * whole sections fit themselves first; this is the last guard.
 */
export function clipCommentBody(body: string, marker = "", limit = COMMENT_LIMIT): string {
  if (body.length <= limit) return body;
  const note = `\n\n… (truncated to fit GitHub's ${limit.toLocaleString("en-US")}-character comment limit)`;
  const markerLine = marker !== "" && body.includes(marker) ? `\n${marker}` : "";
  let cut = limit - note.length - markerLine.length;
  // Never split a surrogate pair.
  const code = body.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  const head = body.slice(0, cut);
  return head + note + (head.includes(marker) ? "" : markerLine);
}

/** Comments carrying `marker`, oldest first. */
async function markedComments(octokit: OctokitLike, pr: PullRef, marker: string): Promise<RestComment[]> {
  const comments = (await octokit.paginate(octokit.rest.issues.listComments, {
    owner: pr.owner,
    repo: pr.repo,
    issue_number: pr.number,
    per_page: 100,
  })) as RestComment[];
  return comments
    .filter((c) => typeof c.body === "string" && c.body.includes(marker))
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

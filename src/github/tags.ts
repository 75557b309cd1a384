// Git tags and releases: reading tags peeled to their commit (with the annotated message),
// and creating annotated tags without ever moving an existing ref.

import pLimit from "p-limit";
import { TagExistsError, githubMessage, httpStatus } from "./errors.js";
import type { OctokitLike } from "./octokit-like.js";
import type { RepoRef, TagRef } from "./port.js";
import type { RestGitRef, RestGitTag } from "./rest-types.js";

/** A tag of a tag of ... is legal git; stop somewhere sane. */
const MAX_PEEL = 5;

export async function getTag(octokit: OctokitLike, repo: RepoRef, name: string): Promise<TagRef | null> {
  let ref: RestGitRef;
  try {
    ref = (await octokit.rest.git.getRef({ owner: repo.owner, repo: repo.repo, ref: `tags/${name}` })).data as RestGitRef;
  } catch (error) {
    if (httpStatus(error) === 404) return null;
    throw error;
  }
  return peel(octokit, repo, name, ref);
}

/** Tags whose name starts with `prefix`, sorted by name. One call lists them; each annotated tag costs one more. */
export async function listTags(octokit: OctokitLike, repo: RepoRef, prefix: string): Promise<TagRef[]> {
  const { data } = await octokit.rest.git.listMatchingRefs({ owner: repo.owner, repo: repo.repo, ref: `tags/${prefix}` });
  const refs = (data as RestGitRef[]).filter((r) => r.ref.startsWith("refs/tags/"));
  const limit = pLimit(4);
  const tags = await Promise.all(refs.map((r) => limit(() => peel(octokit, repo, r.ref.slice("refs/tags/".length), r))));
  return tags.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export async function createAnnotatedTag(
  octokit: OctokitLike,
  repo: RepoRef,
  input: { name: string; message: string; commitSha: string },
): Promise<TagRef> {
  const { data } = await octokit.rest.git.createTag({
    owner: repo.owner,
    repo: repo.repo,
    tag: input.name,
    message: input.message,
    object: input.commitSha,
    type: "commit",
  });
  const tag = data as RestGitTag;
  try {
    // createRef fails on an existing ref; updateRef (which could move it) is never used.
    await octokit.rest.git.createRef({ owner: repo.owner, repo: repo.repo, ref: `refs/tags/${input.name}`, sha: tag.sha });
  } catch (error) {
    if (httpStatus(error) === 422 && /already exists/i.test(githubMessage(error))) throw new TagExistsError(input.name);
    throw error;
  }
  return { name: input.name, commitSha: input.commitSha, tagSha: tag.sha, message: tag.message };
}

export async function createRelease(
  octokit: OctokitLike,
  repo: RepoRef,
  input: { tag: string; name: string; body: string },
): Promise<{ htmlUrl: string }> {
  const { data } = await octokit.rest.repos.createRelease({
    owner: repo.owner,
    repo: repo.repo,
    tag_name: input.tag,
    name: input.name,
    body: input.body,
  });
  return { htmlUrl: (data as { html_url: string }).html_url };
}

async function peel(octokit: OctokitLike, repo: RepoRef, name: string, ref: RestGitRef): Promise<TagRef> {
  if (ref.object.type !== "tag") return { name, commitSha: ref.object.sha };
  const tagSha = ref.object.sha;
  let target = ref.object;
  let message: string | undefined;
  for (let depth = 0; target.type === "tag" && depth < MAX_PEEL; depth++) {
    const tag = (await octokit.rest.git.getTag({ owner: repo.owner, repo: repo.repo, tag_sha: target.sha })).data as RestGitTag;
    // The outermost tag's message is the one written for this name.
    message ??= tag.message;
    target = tag.object;
  }
  if (target.type !== "commit") throw new Error(`Tag ${name} does not point to a commit (it points to a ${target.type}).`);
  return { name, commitSha: target.sha, tagSha, ...(message !== undefined ? { message } : {}) };
}

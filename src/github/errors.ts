// Errors the port raises on purpose, so workflows can tell "GitHub said no" cases they handle
// from faults they report; plus the few helpers that read Octokit's RequestError shape.

/** `createAnnotatedTag` found the ref already there; the existing tag was left untouched. */
export class TagExistsError extends Error {
  override readonly name = "TagExistsError";
  constructor(readonly tag: string) {
    super(`Tag ${tag} already exists; it was not moved.`);
  }
}

/**
 * GitHub cut a recursive tree listing short (over 100,000 entries or 7 MB). `paths` holds what
 * it did return, so a caller may still go on knowing the list is partial.
 */
export class TreeTruncatedError extends Error {
  override readonly name = "TreeTruncatedError";
  constructor(
    readonly sha: string,
    readonly paths: string[],
  ) {
    super(`GitHub truncated the file tree of ${sha} (${paths.length} paths returned): the repository is too large to list in one request.`);
  }
}

/** The repository has no commits yet: its default branch names no commit (GitHub answers 404 for it). */
export class EmptyRepositoryError extends Error {
  override readonly name = "EmptyRepositoryError";
  constructor(readonly branch: string) {
    super(`the repository has no commits yet (its default branch ${branch} does not exist)`);
  }
}

/** The HTTP status of an Octokit RequestError, if `error` is one. */
export function httpStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === "number" ? status : undefined;
}

/** GitHub's own message (`response.data.message`), without Octokit's documentation-URL suffix. */
export function githubMessage(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  if (typeof data === "object" && data !== null) {
    const message = (data as { message?: unknown }).message;
    if (typeof message === "string" && message !== "") return message;
  }
  return error instanceof Error ? error.message : String(error);
}

/** GitHub's message plus the `errors[]` details it sometimes adds (for matching, not display). */
export function githubErrorText(error: unknown): string {
  const data = (error as { response?: { data?: unknown } } | null)?.response?.data;
  const details = typeof data === "object" && data !== null ? (data as { errors?: unknown }).errors : undefined;
  const parts = [githubMessage(error)];
  if (Array.isArray(details)) for (const d of details) parts.push(typeof d === "string" ? d : JSON.stringify(d));
  return parts.join("\n");
}

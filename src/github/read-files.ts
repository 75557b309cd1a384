// Reads many (commit, path) pairs in one GraphQL query: each file is an aliased
// `object(expression:)` whose expression travels as a variable, so no path is ever spliced
// into the query text.

import { MAX_FILE_BYTES, type FileBlob } from "../core/files.js";
import type { OctokitLike, PortLogger } from "./octokit-like.js";
import type { FileAt, RepoRef } from "./port.js";

/** Files per query: keeps one query well inside GitHub's node and response-size limits. */
export const FILES_PER_QUERY = 250;

interface BlobNode {
  __typename: string;
  text?: string | null;
  isBinary?: boolean | null;
  byteSize?: number;
  isTruncated?: boolean;
}

type RepositoryData = { repository: Record<string, BlobNode | null> | null };

export function fileKey(file: FileAt): string {
  return `${file.sha}:${file.path}`;
}

/** The query text for `count` files; it depends only on the count. */
export function blobQuery(count: number): string {
  const vars = ["$owner: String!", "$name: String!"];
  const fields: string[] = [];
  for (let i = 0; i < count; i++) {
    vars.push(`$e${i}: String!`);
    fields.push(`    f${i}: object(expression: $e${i}) { __typename ... on Blob { byteSize isBinary isTruncated text } }`);
  }
  return `query ReadFiles(${vars.join(", ")}) {\n  repository(owner: $owner, name: $name) {\n${fields.join("\n")}\n  }\n}`;
}

export async function readFiles(
  octokit: OctokitLike,
  repo: RepoRef,
  files: readonly FileAt[],
  options: { maxFileBytes?: number; logger?: PortLogger } = {},
): Promise<Map<string, FileBlob>> {
  const maxBytes = options.maxFileBytes ?? MAX_FILE_BYTES;
  const unique = new Map<string, FileAt>();
  for (const file of files) unique.set(fileKey(file), file);
  const wanted = [...unique.values()];

  const out = new Map<string, FileBlob>();
  for (let start = 0; start < wanted.length; start += FILES_PER_QUERY) {
    const chunk = wanted.slice(start, start + FILES_PER_QUERY);
    const variables: Record<string, unknown> = { owner: repo.owner, name: repo.repo };
    chunk.forEach((file, i) => (variables[`e${i}`] = `${file.sha}:${file.path}`));
    const data = await queryAllowingPartial(octokit, blobQuery(chunk.length), variables, options.logger);
    if (!data.repository) throw new Error(`GitHub could not resolve repository ${repo.owner}/${repo.repo}.`);
    chunk.forEach((file, i) => out.set(fileKey(file), toBlob(data.repository?.[`f${i}`] ?? null, maxBytes)));
  }
  return out;
}

/**
 * A query whose errors concern single objects still answers the rest; GitHub then sends both
 * `data` and `errors`, and Octokit throws. Keep the data when there is some.
 */
async function queryAllowingPartial(
  octokit: OctokitLike,
  query: string,
  variables: Record<string, unknown>,
  logger: PortLogger | undefined,
): Promise<RepositoryData> {
  try {
    return (await octokit.graphql(query, variables)) as RepositoryData;
  } catch (error) {
    const partial = (error as { data?: RepositoryData } | null)?.data;
    if (!partial?.repository) throw error;
    logger?.warn(`GitHub answered the file query with errors; unreadable files are reported missing: ${(error as Error).message}`);
    return partial;
  }
}

function toBlob(node: BlobNode | null, maxBytes: number): FileBlob {
  // Null: no such path at that commit. Any other type: a directory or a submodule, not a file.
  if (!node || node.__typename !== "Blob") return { kind: "missing" };
  const size = node.byteSize ?? 0;
  if (node.isTruncated || size > maxBytes) return { kind: "too-large", size };
  // The NUL check matches `blobFromBytes`, so every host classifies a file the same way.
  if (node.isBinary || typeof node.text !== "string" || node.text.includes("\u0000")) return { kind: "binary", size };
  const text = node.text.charCodeAt(0) === 0xfeff ? node.text.slice(1) : node.text;
  return { kind: "text", text, size };
}

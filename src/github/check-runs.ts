// Check runs: GitHub takes at most 50 annotations per request, so a run is created (or
// updated) with the first 50 and then updated once per further 50, repeating the output.

import { CHECK_TEXT_LIMIT, clipUtf8, utf8Length } from "../core/report/truncate.js";
import type { OctokitLike } from "./octokit-like.js";
import type { CheckAnnotation, CheckConclusion, CheckOutput, CheckRun, CheckRunInput, CheckStatus, RepoRef } from "./port.js";
import type { RestCheckRun } from "./rest-types.js";

export const ANNOTATIONS_PER_REQUEST = 50;
/** GitHub's limit for `output.summary` and `output.text`, in UTF-8 bytes. */
export { CHECK_TEXT_LIMIT };
/** GitHub's limits on an annotation's fields ("255 characters", "64 KB"), taken as UTF-8 bytes. */
export const ANNOTATION_TITLE_LIMIT = 255;
export const ANNOTATION_TEXT_LIMIT = 65_535;

export async function createCheckRun(octokit: OctokitLike, repo: RepoRef, input: CheckRunInput): Promise<CheckRun> {
  assertConcluded(input);
  const [first, ...rest] = annotationChunks(input.output);
  const { data } = await octokit.rest.checks.create({
    owner: repo.owner,
    repo: repo.repo,
    name: input.name,
    head_sha: input.headSha,
    ...runFields(input),
    ...(input.output ? { output: restOutput(input.output, first) } : {}),
  });
  return appendAnnotations(octokit, repo, data as RestCheckRun, input.output, rest);
}

export async function updateCheckRun(octokit: OctokitLike, repo: RepoRef, id: number, input: Partial<CheckRunInput>): Promise<CheckRun> {
  assertConcluded(input);
  const [first, ...rest] = annotationChunks(input.output);
  const { data } = await octokit.rest.checks.update({
    owner: repo.owner,
    repo: repo.repo,
    check_run_id: id,
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...runFields(input),
    ...(input.output ? { output: restOutput(input.output, first) } : {}),
  });
  return appendAnnotations(octokit, repo, data as RestCheckRun, input.output, rest);
}

export async function listCheckRuns(octokit: OctokitLike, repo: RepoRef, sha: string, name: string): Promise<CheckRun[]> {
  const runs = (await octokit.paginate(octokit.rest.checks.listForRef, {
    owner: repo.owner,
    repo: repo.repo,
    ref: sha,
    check_name: name,
    filter: "all",
    per_page: 100,
  })) as RestCheckRun[];
  return runs.sort(newestFirst).map(toCheckRun);
}

export function toCheckRun(run: RestCheckRun): CheckRun {
  return {
    id: run.id,
    name: run.name,
    headSha: run.head_sha,
    status: run.status as CheckStatus,
    conclusion: (run.conclusion as CheckConclusion | null) ?? null,
    htmlUrl: run.html_url ?? "",
    ...(run.external_id ? { externalId: run.external_id } : {}),
    ...(typeof run.app?.id === "number" ? { appId: run.app.id } : {}),
    output: { title: run.output?.title ?? null, summary: run.output?.summary ?? null, text: run.output?.text ?? null },
  };
}

/**
 * Cuts `text` to GitHub's limit in UTF-8 bytes, on a character boundary, with a visible note;
 * the report layer normally fits it first.
 */
export function clipCheckText(text: string, limit = CHECK_TEXT_LIMIT): string {
  if (utf8Length(text) <= limit) return text;
  const note = `\n\n… (truncated to fit GitHub's ${limit.toLocaleString("en-US")}-byte limit)`;
  return clipUtf8(text, limit - utf8Length(note)) + note;
}

/** Cuts a plain-text field to `limit` UTF-8 bytes, ending with `…` when cut. */
function clipField(text: string, limit: number): string {
  if (utf8Length(text) <= limit) return text;
  return `${clipUtf8(text, limit - 3)}…`;
}

/** GitHub answers 422 to `status: completed` without a conclusion; say so before the call. */
function assertConcluded(input: Partial<CheckRunInput>): void {
  if (input.status === "completed" && input.conclusion === undefined) {
    throw new Error(`A check run${input.name ? ` (${input.name})` : ""} cannot be completed without a conclusion.`);
  }
}

function runFields(input: Partial<CheckRunInput>): Record<string, unknown> {
  // A conclusion completes the run on GitHub whatever the status says; sending both an
  // unfinished status and a conclusion is contradictory, so the conclusion wins.
  const status = input.conclusion !== undefined ? "completed" : input.status;
  return {
    ...(status !== undefined ? { status } : {}),
    ...(input.conclusion !== undefined ? { conclusion: input.conclusion } : {}),
    ...(input.detailsUrl !== undefined ? { details_url: input.detailsUrl } : {}),
    ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
  };
}

function restOutput(output: CheckOutput, annotations: CheckAnnotation[] | undefined): Record<string, unknown> {
  return {
    title: output.title,
    summary: clipCheckText(output.summary),
    ...(output.text !== undefined ? { text: clipCheckText(output.text) } : {}),
    ...(annotations && annotations.length > 0 ? { annotations: annotations.map(restAnnotation) } : {}),
  };
}

/**
 * GitHub takes `start_column`/`end_column` on single-line annotations only, and refuses a field
 * over its byte limit (422 either way): the annotation is sent cut rather than lost.
 */
function restAnnotation(annotation: CheckAnnotation): CheckAnnotation {
  const fitted: CheckAnnotation = {
    ...annotation,
    message: clipField(annotation.message, ANNOTATION_TEXT_LIMIT),
    ...(annotation.title !== undefined ? { title: clipField(annotation.title, ANNOTATION_TITLE_LIMIT) } : {}),
    ...(annotation.raw_details !== undefined ? { raw_details: clipField(annotation.raw_details, ANNOTATION_TEXT_LIMIT) } : {}),
  };
  if (fitted.start_line === fitted.end_line) return fitted;
  const { start_column: _start, end_column: _end, ...rest } = fitted;
  return rest;
}

function annotationChunks(output: CheckOutput | undefined): CheckAnnotation[][] {
  const all = output?.annotations ?? [];
  const chunks: CheckAnnotation[][] = [];
  for (let i = 0; i < all.length; i += ANNOTATIONS_PER_REQUEST) chunks.push(all.slice(i, i + ANNOTATIONS_PER_REQUEST));
  return chunks;
}

async function appendAnnotations(
  octokit: OctokitLike,
  repo: RepoRef,
  run: RestCheckRun,
  output: CheckOutput | undefined,
  chunks: CheckAnnotation[][],
): Promise<CheckRun> {
  let latest = run;
  if (!output) return toCheckRun(latest);
  for (const chunk of chunks) {
    // GitHub appends annotations on each update, and wants title and summary with every output.
    const { data } = await octokit.rest.checks.update({
      owner: repo.owner,
      repo: repo.repo,
      check_run_id: run.id,
      output: restOutput(output, chunk),
    });
    latest = data as RestCheckRun;
  }
  return toCheckRun(latest);
}

function newestFirst(a: RestCheckRun, b: RestCheckRun): number {
  const sa = a.started_at ?? "";
  const sb = b.started_at ?? "";
  if (sa !== sb) return sa < sb ? 1 : -1;
  return b.id - a.id;
}

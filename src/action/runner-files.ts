// The files the runner reads back after a step: outputs (GITHUB_OUTPUT) and the job summary
// (GITHUB_STEP_SUMMARY), written in the runner's documented format. Their paths come from the
// environment the run was given, so a run can be pointed anywhere.

import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";

/** `name<<DELIMITER` / value / `DELIMITER`: the form that takes values of any number of lines. */
export function outputRecord(name: string, value: string): string {
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter) || name.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
}

export async function writeOutputs(path: string | undefined, outputs: Record<string, string>): Promise<void> {
  if (!path) return;
  await appendFile(path, Object.entries(outputs).map(([name, value]) => outputRecord(name, value)).join(""), "utf8");
}

/** GitHub shows at most 1 MiB of summary per step; a longer one is cut with a note rather than dropped. */
export const SUMMARY_LIMIT = 1024 * 1024;

export async function appendSummary(path: string | undefined, markdown: string): Promise<void> {
  if (!path) return;
  let text = markdown.endsWith("\n") ? markdown : `${markdown}\n`;
  if (Buffer.byteLength(text) > SUMMARY_LIMIT) {
    const note = "\n\n_The summary was cut at GitHub's 1 MiB limit; the JSON report (`report-path`) has everything._\n";
    text = Buffer.from(text).subarray(0, SUMMARY_LIMIT - Buffer.byteLength(note) - 4).toString("utf8").replace(/\uFFFD+$/, "") + note;
  }
  await appendFile(path, text, "utf8");
}

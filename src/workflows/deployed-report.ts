// Reads an environment's deployed report from where the pins file says it is: a URL (with a
// timeout) or a file. Every failure is a value saying why, so drift reports it as
// `unreachable`, never as "in sync".

import { parseDeployedReport, type DeployedRead } from "../core/environments/deployed.js";
import type { DeployedSource } from "../core/environments/model.js";

export const DEFAULT_DEPLOYED_TIMEOUT_MS = 10_000;
/** A deployed report is a small JSON document; anything much bigger is not one. */
const MAX_REPORT_BYTES = 1024 * 1024;

export interface DeployedReadDeps {
  fetch: typeof fetch;
  /** Reads a file named by `deployed.file`; undefined when it does not exist. */
  readFile(path: string): Promise<string | undefined>;
}

export async function readDeployedReport(
  environment: string,
  source: DeployedSource,
  deps: DeployedReadDeps,
  options: { timeoutMs?: number } = {},
): Promise<DeployedRead> {
  if ("file" in source) {
    let text: string | undefined;
    try {
      text = await deps.readFile(source.file);
    } catch (e) {
      return { ok: false, source: source.file, error: `cannot read: ${(e as Error).message}` };
    }
    if (text === undefined) return { ok: false, source: source.file, error: "file not found" };
    return parseDeployedReport(text, source.file, environment);
  }
  const timeoutMs = options.timeoutMs ?? source.timeoutMs ?? DEFAULT_DEPLOYED_TIMEOUT_MS;
  try {
    const response = await deps.fetch(source.url, {
      headers: { accept: "application/json" },
      redirect: "follow",
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (!response.ok) return { ok: false, source: source.url, error: `HTTP ${response.status} ${response.statusText}`.trim() };
    const text = await response.text();
    if (text.length > MAX_REPORT_BYTES) return { ok: false, source: source.url, error: `the response is over ${MAX_REPORT_BYTES} bytes` };
    return parseDeployedReport(text, source.url, environment);
  } catch (e) {
    const error = e as Error;
    const why = error.name === "TimeoutError" || error.name === "AbortError" ? `no answer within ${timeoutMs} ms` : `${error.message}${causeOf(error)}`;
    return { ok: false, source: source.url, error: why };
  }
}

function causeOf(error: Error): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ? ` (${cause.code})` : cause?.message ? ` (${cause.message})` : "";
}

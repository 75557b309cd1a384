// The functions' log: Netlify keeps what a function writes to the console, one line per entry.

import type { WorkflowLog } from "../workflows/deps.js";

export const consoleLog: WorkflowLog = {
  info: (message) => console.log(`promptops: ${message}`),
  warn: (message) => console.warn(`promptops: ${message}`),
  error: (message) => console.error(`promptops: ${message}`),
};

export function text(status: number, body: string): Response {
  return new Response(`${body}\n`, { status, headers: { "content-type": "text/plain; charset=utf-8" } });
}

/** An error's message on one line, for a log line or a delivery's state (never its stack). */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(/\s+/g, " ").trim();
}

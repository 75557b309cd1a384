// The Action's start-up: from `node dist/index.js` being started, as the runner starts it, to its
// first request to the GitHub API (a server on 127.0.0.1 notes the moment). Target: < 300 ms.

import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ACTION_STARTUP_TARGET_MS = 300;
const BUNDLE = fileURLToPath(new URL("../dist/index.js", import.meta.url));

/** Median and worst of `runs` start-ups of the committed bundle on a `pull_request_review` event. */
export async function actionStartup(runs = 7): Promise<{ medianMs: number; maxMs: number }> {
  let firstCall: (() => void) | undefined;
  const server = createServer((req, res) => {
    firstCall?.();
    res.writeHead(404, { "content-type": "application/json" }).end('{"message":"Not Found"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`;
  const dir = mkdtempSync(join(tmpdir(), "promptops-bench-"));
  const eventPath = join(dir, "event.json");
  writeFileSync(
    eventPath,
    JSON.stringify({ action: "submitted", pull_request: { number: 1 }, repository: { name: "r", full_name: "o/r", owner: { login: "o" } } }),
  );
  const env = {
    PATH: process.env.PATH ?? "",
    GITHUB_EVENT_NAME: "pull_request_review",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: "o/r",
    GITHUB_API_URL: api,
    RUNNER_TEMP: dir,
    "INPUT_GITHUB-TOKEN": "bench",
  };
  const times: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      const child = spawn(process.execPath, [BUNDLE], { env, stdio: "ignore" });
      const called = new Promise<number>((resolve) => (firstCall = () => resolve(performance.now() - started)));
      const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      times.push(await Promise.race([called, exited.then(() => Number.POSITIVE_INFINITY)]));
      firstCall = undefined;
      await exited;
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  return { medianMs: sorted[Math.floor(sorted.length / 2)]!, maxMs: sorted.at(-1)! };
}

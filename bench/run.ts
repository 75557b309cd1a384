// `npm run bench`: a full review (render, send, score, compare) of one prompt with 1,000 golden
// cases on base and head against a local OpenAI-compatible server with a fixed latency. Figures
// are ratios against a floor measured in the same run, so they mean the same on any machine:
//   floor = distinct requests x latency / concurrency (the best any client could do)
// Targets: cold wall / floor <= 1.15; a warm rerun sends 0 requests; requests whose rendered
// messages are the same on both sides are sent once; peak RSS < 300 MB.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../src/core/config/model.js";
import { memoryCache } from "../src/core/eval/cache.js";
import { createModelAccess } from "../src/core/eval/models.js";
import { memoryTree, type ChangedPath } from "../src/core/files.js";
import { reviewChanges } from "../src/core/review.js";
import { loadWorkspace } from "../src/core/workspace.js";
import { fork } from "node:child_process";
import { benchNetlifyWebhook } from "./netlify.js";
import { fileURLToPath } from "node:url";

const CASES = Number(process.env.BENCH_CASES ?? 1000);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const TARGET_RATIO = 1.15;
const TARGET_RSS_MB = 300;

/** The head adds a sentence only urgent tickets see: the other half render the same on both sides. */
function promptFile(head: boolean): string {
  return `name: Ticket triage
model: openai/bench-model
modelParameters:
  temperature: 0
messages:
  - role: system
    content: |
      You triage support tickets. Answer with the ticket text.
  - role: user
    content: |
      {{#if urgent}}Urgent ticket.${head ? " Page the on-call engineer." : ""}
      {{/if}}{{ticket}}
evaluators:
  - name: mentions-ticket
    string:
      contains: "ticket"
promptops:
  id: bench/triage
  version: ${head ? "1.1.0" : "1.0.0"}
  golden: triage.golden.jsonl
  variables:
    ticket: { type: string, required: true }
    urgent: { type: boolean }
`;
}

function goldenFile(): string {
  const rows: string[] = [];
  for (let i = 0; i < CASES; i++) {
    rows.push(JSON.stringify({ id: `case-${i}`, vars: { ticket: `ticket ${i}: the export job fails with code ${i % 97}`, urgent: i % 2 === 0 } }));
  }
  return `${rows.join("\n")}\n`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

/** The model server in a child process; `close` stops it. */
async function startServerProcess(latencyMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(fileURLToPath(new URL("./server-process.ts", import.meta.url)), {
    // The child loads TypeScript through tsx, like this script.
    execArgv: ["--import", "tsx"],
    env: { ...process.env, BENCH_LATENCY_MS: String(latencyMs) },
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once("message", (m) => resolve((m as { url: string }).url));
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the model server exited with code ${code}`)));
  });
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.send("close");
      }),
  };
}

async function main(): Promise<number> {
  const server = await startServerProcess(LATENCY_MS);
  const config: PromptOpsConfig = {
    ...DEFAULT_CONFIG,
    providers: { ...DEFAULT_CONFIG.providers, concurrency: CONCURRENCY, openai: { baseUrl: `${server.url}/v1` } },
  };
  const golden = goldenFile();
  const base = await loadWorkspace(memoryTree({ "prompts/triage.prompt.yml": promptFile(false), "prompts/triage.golden.jsonl": golden }, "base"), config);
  const head = await loadWorkspace(memoryTree({ "prompts/triage.prompt.yml": promptFile(true), "prompts/triage.golden.jsonl": golden }, "head"), config);
  const changes: ChangedPath[] = [{ path: "prompts/triage.prompt.yml", status: "modified" }];
  const cache = memoryCache();
  // Module loading is a once-per-process cost, not part of a review: load the SDK before timing.
  await import("openai");
  const review = async () => {
    const models = createModelAccess({ config, env: {}, cache });
    const started = performance.now();
    const cpu = process.cpuUsage();
    const result = await reviewChanges({ config, base, head, changes, models, baseRef: "base", headRef: "head", now: () => performance.now() });
    const used = process.cpuUsage(cpu);
    if (process.env.BENCH_DEBUG) console.log(`cpu ${((used.user + used.system) / 1000).toFixed(0)} ms`);
    return { result, wallMs: performance.now() - started, stats: models.runner.stats() };
  };

  try {
    const cold = await review();
    const warm = await review();
    const comparison = cold.result.comparisons[0];
    const errors = (comparison?.head?.errors ?? 0) + (comparison?.base?.errors ?? 0);
    const evaluations = 2 * CASES;
    const distinct = cold.stats.requestsSent - cold.stats.retries;
    const floorMs = (distinct * LATENCY_MS) / CONCURRENCY;
    const ratio = cold.wallMs / floorMs;
    const peakRss = process.resourceUsage().maxRSS * 1024;

    const rows: [string, string][] = [
      ["golden cases x sides", `${CASES} x 2 = ${evaluations} evaluations`],
      ["latency, concurrency", `${LATENCY_MS} ms, ${CONCURRENCY}`],
      ["requests sent (cold)", `${cold.stats.requestsSent} (${cold.stats.deduplicated} identical base/head requests sent once, ${cold.stats.retries} retries)`],
      ["wall time (cold)", `${(cold.wallMs / 1000).toFixed(2)} s`],
      ["floor", `${(floorMs / 1000).toFixed(2)} s = ${distinct} distinct requests x ${LATENCY_MS} ms / ${CONCURRENCY}`],
      ["wall / floor", `${ratio.toFixed(3)} (target <= ${TARGET_RATIO})`],
      ["peak RSS", `${mb(peakRss)} (target < ${TARGET_RSS_MB} MB)`],
      ["requests sent (warm rerun)", `${warm.stats.requestsSent} (target 0; ${warm.stats.cacheHits} cache hits, ${(warm.wallMs / 1000).toFixed(2)} s)`],
      ["case errors", String(errors)],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log("promptops bench: base-vs-head review against a local OpenAI-compatible server\n");
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);

    const misses: string[] = [];
    if (ratio > TARGET_RATIO) misses.push(`wall / floor ${ratio.toFixed(3)} > ${TARGET_RATIO}`);
    if (warm.stats.requestsSent !== 0) misses.push(`warm rerun sent ${warm.stats.requestsSent} requests`);
    if (cold.stats.deduplicated < CASES / 2) misses.push(`only ${cold.stats.deduplicated} identical requests were deduplicated (expected ${CASES / 2})`);
    if (peakRss >= TARGET_RSS_MB * 1024 * 1024) misses.push(`peak RSS ${mb(peakRss)}`);
    if (errors > 0) misses.push(`${errors} case errors`);
    console.log(misses.length === 0 ? "\nall targets met" : `\ntargets missed: ${misses.join("; ")}`);
    return misses.length === 0 ? 0 : 1;
  } finally {
    await server.close();
  }
}

process.exitCode = await main();
// The serverless App's webhook function (bench/netlify.ts).
if ((await benchNetlifyWebhook()) !== 0) process.exitCode = 1;

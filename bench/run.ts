// `npm run bench`: PromptOps against a local OpenAI-compatible server with a fixed latency, each
// scenario in its own process (bench/scenario.ts) so its peak RSS is its own. Every figure is a
// ratio to a floor measured in the same run, so it means the same on any machine:
//   floor (theory)   = distinct requests x latency / concurrency
//   floor (measured) = the same number of requests from a bare keep-alive client, right now
// Wall-time targets are checked against the measured floor, which also absorbs a busy machine;
// both ratios are printed. Start-up is compared with a bare `node -e 0`.
// Targets: eval wall / floor <= 1.10 at c=16 and <= 1.25 at c=64 (1,000 cases); review <= 1.15 /
// <= 1.30; 10,000 cases in one golden file at c=64 <= 1.25 with peak RSS <= 150 MB; peak RSS
// flat from 1,000 to 100,000 cases; `--help` <= 0.15 s; a warm rerun sends 0 requests;
// identical base/head requests are sent once.

import { build } from "esbuild";
import { execFileSync, fork, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { benchNetlifyWebhook } from "./netlify.js";
import { ACTION_STARTUP_TARGET_MS, actionStartup } from "./action-startup.js";
import { fileURLToPath } from "node:url";
import type { ScenarioFigures, ScenarioSpec } from "./scenario.js";

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 50);
/** The largest golden set of the RSS series (100,000 takes a few minutes; lower it for a quick look). */
const MAX_CASES = Number(process.env.BENCH_MAX_CASES ?? 100_000);
const RSS_TARGET_MB = 150;
/** "Flat": the largest set may use at most this much more memory than 1,000 cases. */
const RSS_FLAT_RATIO = 1.25;
const HELP_TARGET_S = 0.15;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const mb = (bytes: number) => bytes / 1024 / 1024;

/** The model server in a child process; `close` stops it. */
async function startServerProcess(latencyMs: number): Promise<{ url: string; close(): Promise<void> }> {
  const child = fork(here("./server-process.ts"), {
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

/**
 * The scenario bundled to plain JavaScript, as the Action ships the engine: run under bare node,
 * so the figures are PromptOps' and not the TypeScript loader's (about 35 MB of RSS).
 */
const SCENARIO = here("./.out/scenario.mjs");

async function bundleScenario(): Promise<void> {
  await build({
    entryPoints: [here("./scenario.ts")],
    outfile: SCENARIO,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    logLevel: "warning",
  });
}

function scenario(spec: ScenarioSpec): ScenarioFigures {
  const out = execFileSync(process.execPath, [SCENARIO, JSON.stringify(spec)], {
    encoding: "utf8",
    maxBuffer: 1024 * 1024,
    stdio: ["ignore", "pipe", "inherit"],
  });
  return JSON.parse(out.trim().split("\n").pop()!) as ScenarioFigures;
}

/** Median wall time of a command, in seconds. */
function startTime(args: string[], runs = 7): { seconds: number; ok: boolean } {
  const times: number[] = [];
  let ok = true;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = spawnSync(process.execPath, args, { stdio: "ignore" });
    times.push((performance.now() - started) / 1000);
    ok &&= result.status === 0;
  }
  times.sort((a, b) => a - b);
  return { seconds: times[Math.floor(times.length / 2)]!, ok };
}

interface Row {
  label: string;
  value: string;
  /** Undefined: informational. */
  met?: boolean;
}

const rows: Row[] = [];
const row = (label: string, value: string, met?: boolean) => rows.push({ label, value, ...(met === undefined ? {} : { met }) });

async function main(): Promise<number> {
  await bundleScenario();
  const server = await startServerProcess(LATENCY_MS);
  const floors = new Map<string, number>();
  /** The bare client's wall for `requests` at `concurrency`, measured once per pair. */
  const measuredFloor = (requests: number, concurrency: number) => {
    const key = `${requests}@${concurrency}`;
    if (!floors.has(key)) floors.set(key, scenario({ mode: "floor", cases: requests, requests, concurrency, url: server.url }).wallMs);
    return floors.get(key)!;
  };
  const timed = (label: string, spec: Omit<ScenarioSpec, "url">, target: number) => {
    const figures = scenario({ ...spec, url: server.url });
    const distinct = figures.requestsSent - figures.retries;
    const theory = (distinct * LATENCY_MS) / spec.concurrency;
    const measured = measuredFloor(distinct, spec.concurrency);
    const ratio = figures.wallMs / measured;
    row(
      label,
      `${(figures.wallMs / 1000).toFixed(2)} s, ${distinct} requests: ${ratio.toFixed(2)} x measured floor ${(measured / 1000).toFixed(2)} s ` +
        `(${(figures.wallMs / theory).toFixed(2)} x theory ${(theory / 1000).toFixed(2)} s); target <= ${target}`,
      ratio <= target,
    );
    row(`  cpu, peak RSS`, `${figures.cpuMs.toFixed(0)} ms (${((figures.cpuMs * 1000) / Math.max(1, distinct)).toFixed(0)} us per request), ${mb(figures.peakRssBytes).toFixed(0)} MB`);
    if (figures.caseErrors > 0) row(`  case errors`, String(figures.caseErrors), false);
    if (figures.warmRequests !== undefined) {
      row(`  warm rerun`, `${figures.warmRequests} requests in ${((figures.warmMs ?? 0) / 1000).toFixed(2)} s; target 0`, figures.warmRequests === 0);
    }
    if (spec.mode === "review") {
      row(`  identical base/head sent once`, `${figures.deduplicated} of ${spec.cases / 2}; target ${spec.cases / 2}`, figures.deduplicated >= spec.cases / 2);
    }
    return figures;
  };

  try {
    console.log(`promptops bench: local OpenAI-compatible server at ${LATENCY_MS} ms per request\n`);
    const idle = scenario({ mode: "idle", cases: 0, concurrency: 1, url: server.url });
    row("RSS after loading the engine", `${mb(idle.peakRssBytes).toFixed(0)} MB (the floor every scenario starts from)`);

    timed("eval 1,000 cases, c=16", { mode: "eval", cases: 1000, concurrency: 16, warm: true }, 1.1);
    timed("eval 1,000 cases, c=64", { mode: "eval", cases: 1000, concurrency: 64, warm: true }, 1.25);
    timed("review 1,000 cases, c=16", { mode: "review", cases: 1000, concurrency: 16, warm: true }, 1.15);
    timed("review 1,000 cases, c=64", { mode: "review", cases: 1000, concurrency: 64, warm: true }, 1.3);
    const eval10k = timed("eval 10,000 cases in one file, c=64", { mode: "eval", cases: 10_000, concurrency: 64 }, 1.25);
    row("  peak RSS at 10,000 cases", `${mb(eval10k.peakRssBytes).toFixed(0)} MB; target <= ${RSS_TARGET_MB} MB`, mb(eval10k.peakRssBytes) <= RSS_TARGET_MB);

    // Cold runs without a cache, one process each, so each peak is the eval's own.
    const eval1k = scenario({ mode: "eval", cases: 1000, concurrency: 64, url: server.url });
    const series: [number, number][] = [
      [1000, eval1k.peakRssBytes],
      [10_000, eval10k.peakRssBytes],
    ];
    if (MAX_CASES > 10_000) {
      const big = scenario({ mode: "eval", cases: MAX_CASES, concurrency: 64, url: server.url });
      series.push([MAX_CASES, big.peakRssBytes]);
      row(`eval ${MAX_CASES.toLocaleString("en")} cases, c=64`, `${(big.wallMs / 1000).toFixed(1)} s, ${big.caseErrors} case errors`, big.caseErrors === 0 ? undefined : false);
    }
    const [, first] = series[0]!;
    const [lastCases, last] = series[series.length - 1]!;
    row(
      "peak RSS by cases",
      `${series.map(([n, rss]) => `${n.toLocaleString("en")}: ${mb(rss).toFixed(0)} MB`).join(", ")}; ` +
        `${lastCases.toLocaleString("en")} / 1,000 = ${(last / first).toFixed(2)}, target <= ${RSS_FLAT_RATIO} (flat)`,
      last / first <= RSS_FLAT_RATIO,
    );

    const cli = here("../lib/cli/main.js");
    if (!existsSync(cli)) {
      console.log("building lib/ for the start-up figures (npm run build)...\n");
      execFileSync("npm", ["run", "build"], { stdio: "ignore", cwd: here("..") });
    }
    const bare = startTime(["-e", "0"]);
    const help = startTime([cli, "--help"]);
    const version = startTime([cli, "--version"]);
    row("start-up: node -e 0", `${bare.seconds.toFixed(3)} s (floor)`);
    row("start-up: promptops --help", `${help.seconds.toFixed(3)} s = ${(help.seconds / bare.seconds).toFixed(2)} x floor; target <= ${HELP_TARGET_S} s`, help.ok && help.seconds <= HELP_TARGET_S);
    row("start-up: promptops --version", version.ok ? `${version.seconds.toFixed(3)} s = ${(version.seconds / bare.seconds).toFixed(2)} x floor` : "not available");
    const startup = await actionStartup();
    row("start-up: Action to its first API call", `${startup.medianMs.toFixed(0)} ms median, ${startup.maxMs.toFixed(0)} ms worst; target < ${ACTION_STARTUP_TARGET_MS} ms`, startup.medianMs < ACTION_STARTUP_TARGET_MS);
  } finally {
    await server.close();
  }

  const width = Math.max(...rows.map((r) => r.label.length));
  for (const r of rows) console.log(`${r.met === undefined ? "  " : r.met ? "ok" : "!!"} ${r.label.padEnd(width)}  ${r.value}`);
  const missed = rows.filter((r) => r.met === false);
  console.log(missed.length === 0 ? "\nall targets met" : `\ntargets missed: ${missed.map((r) => r.label.trim()).join("; ")}`);
  return missed.length === 0 ? 0 : 1;
}

process.exitCode = await main();
// The serverless App's webhook function (bench/netlify.ts).
if ((await benchNetlifyWebhook()) !== 0) process.exitCode = 1;

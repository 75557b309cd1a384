// The serverless App's webhook function: how fast it acknowledges GitHub (1,000 signed
// deliveries in-process, queued in a local Netlify Blobs server reached as functions reach
// Blobs in production (through the edge URL), the background worker answered
// by a local stand-in), how big its bundle is, and how long a cold process takes to import it.

import { execFile, fork } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { signatureFor } from "../src/netlify/signature.js";
import { handleWebhook, netlifyWebhookOptions } from "../src/netlify/webhook.js";
import { getStore } from "@netlify/blobs";
import { pullRequestEvent } from "../test/fixtures/github/payloads.js";
import { SHA } from "../test/fixtures/github/repo.js";
import { bundleFunction } from "../test/support/function-bundle.js";

const DELIVERIES = Number(process.env.BENCH_WEBHOOK_DELIVERIES ?? 1000);
const TARGET_P99_MS = 20;
const TARGET_COLD_MS = 150;
const COLD_RUNS = 5;

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const ms = (n: number) => `${n.toFixed(2)} ms`;

async function ackLatency(): Promise<{ queued: number[]; ignored: number[]; floor: number[] }> {
  const servers = fork(fileURLToPath(new URL("./netlify-servers.ts", import.meta.url)), { execArgv: ["--import", "tsx"] });
  const { blobsURL, origin } = await new Promise<{ blobsURL: string; origin: string }>((resolve, reject) => {
    servers.once("message", (m) => resolve(m as { blobsURL: string; origin: string }));
    servers.once("error", reject);
    servers.once("exit", (code) => reject(new Error(`the Blobs server exited with code ${code}`)));
  });
  const secret = "bench-secret";
  const env = {
    APP_ID: "1",
    WEBHOOK_SECRET: secret,
    PRIVATE_KEY: Buffer.from(generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } }).privateKey).toString("base64"),
  };
  const options = netlifyWebhookOptions(env, { siteID: "bench-site", token: "bench", edgeURL: blobsURL, uncachedEdgeURL: blobsURL });
  const request = (event: string, body: string) =>
    new Request(`${origin}/api/github/webhooks`, {
      method: "POST",
      headers: { "x-github-event": event, "x-github-delivery": randomUUID(), "x-hub-signature-256": signatureFor(secret, body), "content-type": "application/json" },
      body,
    });
  const opened = JSON.stringify(pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
  const star = JSON.stringify({ action: "created", starred_at: null, repository: { name: "r", owner: { login: "o" } } });
  const time = async (event: string, body: string, expected: number) => {
    const req = request(event, body);
    const start = performance.now();
    const res = await handleWebhook(req, options);
    const elapsed = performance.now() - start;
    if (res.status !== expected) throw new Error(`expected ${expected}, got ${res.status}: ${await res.text()}`);
    return elapsed;
  };
  try {
    for (let i = 0; i < 20; i++) await time("pull_request", opened, 202); // warm-up
    const queued: number[] = [];
    for (let i = 0; i < DELIVERIES; i++) queued.push(await time("pull_request", opened, 202));
    const ignored: number[] = [];
    for (let i = 0; i < DELIVERIES; i++) ignored.push(await time("star", star, 200));
    // The floor: what any webhook that queues must wait for, with nothing of PromptOps around it:
    // one write of the same bytes to the same Blobs server, then one POST to the worker's URL.
    const store = getStore({ name: "bench-floor", siteID: "bench-site", token: "bench", edgeURL: blobsURL, uncachedEdgeURL: blobsURL, consistency: "strong" });
    const bytes = new TextEncoder().encode(opened);
    const floor: number[] = [];
    for (let i = 0; i < DELIVERIES; i++) {
      const start = performance.now();
      await store.set(randomUUID(), bytes.slice().buffer, { onlyIfNew: true });
      const res = await fetch(`${origin}/.netlify/functions/review-background`, { method: "POST", body: "{}" });
      await res.body?.cancel();
      floor.push(performance.now() - start);
    }
    return { queued: queued.sort((a, b) => a - b), ignored: ignored.sort((a, b) => a - b), floor: floor.sort((a, b) => a - b) };
  } finally {
    await new Promise<void>((resolve) => {
      servers.once("exit", () => resolve());
      servers.send("close");
    });
  }
}

/** Milliseconds a fresh Node process takes to import `files` in order (median of COLD_RUNS). */
async function coldImport(...files: string[]): Promise<number> {
  const imports = files.map((f) => `await import(${JSON.stringify(f)});`).join(" ");
  const script = `const t = performance.now(); ${imports} process.stdout.write(String(performance.now() - t));`;
  const runs: number[] = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script]);
    runs.push(Number(stdout));
  }
  return runs.sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
}

/** Prints its table; returns 0 when every target is met. */
export async function benchNetlifyWebhook(): Promise<number> {
  const bundle = await bundleFunction("netlify/functions/github-webhooks.mts");
  try {
    const closure = bundle.staticClosure(bundle.entry);
    const all = Object.keys(bundle.metafile.outputs).map((o) => join(process.cwd(), o));
    const { queued, ignored, floor } = await ackLatency();
    const cold = await coldImport(bundle.entry);
    // What a review's owners check inside the webhook loads on top (Probot, the workflows).
    const quick = await coldImport(bundle.entry, bundle.outputHolding("src/netlify/run-routes.ts")!, bundle.outputHolding("src/host/route-workflows.ts")!);
    const p99 = percentile(queued, 99);
    const rows: [string, string][] = [
      ["deliveries", `${DELIVERIES} signed pull_request.opened (queued), ${DELIVERIES} star.created (ignored)`],
      ["ack latency, queued", `p50 ${ms(percentile(queued, 50))}, p99 ${ms(p99)} (target p99 < ${TARGET_P99_MS} ms)`],
      ["ack latency, ignored", `p50 ${ms(percentile(ignored, 50))}, p99 ${ms(percentile(ignored, 99))}`],
      ["floor: Blobs write + worker POST", `p50 ${ms(percentile(floor, 50))}, p99 ${ms(percentile(floor, 99))} (the same two round trips with no handler; queued p99 = ${(p99 / percentile(floor, 99)).toFixed(2)} x floor)`],
      ["bundle loaded to ack", `${(bundle.bytes(closure) / 1024).toFixed(1)} KB in ${closure.length} files`],
      ["bundle, all chunks", `${(bundle.bytes(all) / 1024 / 1024).toFixed(2)} MB (engine, SDKs and Probot load on demand)`],
      ["cold import", `${ms(cold)} (median of ${COLD_RUNS} fresh processes; target < ${TARGET_COLD_MS} ms)`],
      ["cold import, quick routes", `${ms(quick)} (the webhook plus what an inline owners check loads; no model SDK)`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log("\npromptops bench: the Netlify webhook function\n");
    for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
    const misses: string[] = [];
    if (p99 >= TARGET_P99_MS) misses.push(`ack p99 ${ms(p99)}`);
    if (cold >= TARGET_COLD_MS) misses.push(`cold import ${ms(cold)}`);
    console.log(misses.length === 0 ? "\nall targets met" : `\ntargets missed: ${misses.join("; ")}`);
    return misses.length === 0 ? 0 : 1;
  } finally {
    await rm(bundle.outdir, { recursive: true, force: true });
  }
}

// One benchmark scenario in its own process, so its peak RSS is its own: writes a prompt and a
// golden set of N cases to a temporary folder, reads it as the CLI does (working tree), runs an
// eval (one side) or a review (base vs head) against the model server, writes the JSON report,
// and prints one JSON line of figures. `floor` mode instead sends the same number of requests
// with a bare keep-alive node:http client: the best any client did on this machine, right now.

import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdtemp, rm, writeFile, mkdir, open } from "node:fs/promises";
import { request as httpRequest, Agent } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface ScenarioSpec {
  mode: "eval" | "review" | "floor" | "idle";
  cases: number;
  concurrency: number;
  /** The model server's base URL. */
  url: string;
  /** For `floor`: how many requests to send. */
  requests?: number;
  /** Rerun with the cold run's responses cached (in memory), to check it sends nothing. */
  warm?: boolean;
}

export interface ScenarioFigures {
  wallMs: number;
  cpuMs: number;
  requestsSent: number;
  retries: number;
  deduplicated: number;
  warmRequests?: number;
  warmMs?: number;
  caseErrors: number;
  peakRssBytes: number;
}

/**
 * The head adds a sentence only urgent tickets see: the other half render the same on both
 * sides. BENCH_MODEL=echo measures the engine alone (no HTTP).
 */
export function promptFile(head: boolean): string {
  return `name: Ticket triage
model: ${process.env.BENCH_MODEL ?? "openai/bench-model"}
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

/** Writes the golden set a thousand rows at a time: the file is built on disk, not in this process' memory. */
async function writeGoldenFile(path: string, cases: number): Promise<void> {
  const file = await open(path, "w");
  try {
    for (let start = 0; start < cases; start += 1000) {
      let block = "";
      for (let i = start; i < Math.min(cases, start + 1000); i++) {
        block += `${JSON.stringify({ id: `case-${i}`, vars: { ticket: `ticket ${i}: the export job fails with code ${i % 97}`, urgent: i % 2 === 0 } })}\n`;
      }
      await file.write(block);
    }
  } finally {
    await file.close();
  }
}

async function writeProject(dir: string, head: boolean, cases: number, spec: ScenarioSpec): Promise<void> {
  await mkdir(join(dir, "prompts"), { recursive: true });
  await mkdir(join(dir, ".github"), { recursive: true });
  await writeFile(join(dir, ".github", "promptops.yml"), `providers:\n  concurrency: ${spec.concurrency}\n  openai:\n    baseUrl: ${spec.url}/v1\n`);
  await writeFile(join(dir, "prompts", "triage.prompt.yml"), promptFile(head));
  await writeGoldenFile(join(dir, "prompts", "triage.golden.jsonl"), cases);
}

const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function runScenario(spec: ScenarioSpec): Promise<ScenarioFigures> {
  // As the CLI's eval and review do before they run (and before this process writes the project).
  const { sizeHeapForStreaming } = await import("../src/host/heap.js");
  sizeHeapForStreaming();
  const root = await mkdtemp(join(tmpdir(), "promptops-bench-"));
  try {
    await writeProject(join(root, "base"), false, spec.cases, spec);
    await writeProject(join(root, "head"), true, spec.cases, spec);
    const [{ readConfig }, { memoryCache }, { createModelAccess }, { reviewChanges, evaluatePrompts }, { loadWorkspace }, { workingTree }, { renderJsonChunks }] =
      await Promise.all([
        import("../src/core/config/load.js"),
        import("../src/core/eval/cache.js"),
        import("../src/core/eval/models.js"),
        import("../src/core/review.js"),
        import("../src/core/workspace/workspace.js"),
        import("../src/cli/git.js"),
        import("../src/core/report/index.js"),
      ]);
    const { config } = await readConfig(workingTree(join(root, "base")));
    // Without a warm rerun there is no cache: the CLI's is on disk, and an in-memory one would
    // hold every answer and be what the RSS measures.
    const cache = spec.warm ? memoryCache() : undefined;
    const run = async () => {
      // As the CLI reads a project: the working tree, the golden file streamed row by row.
      const head = await loadWorkspace(workingTree(join(root, "head")), config);
      const base = spec.mode === "review" ? await loadWorkspace(workingTree(join(root, "base")), config) : undefined;
      const models = createModelAccess({ config, env: {}, ...(cache ? { cache } : {}), now: () => performance.now() });
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = base
        ? await reviewChanges({
            config,
            base,
            head,
            changes: [{ path: "prompts/triage.prompt.yml", status: "modified" }],
            models,
            baseRef: "base",
            headRef: "head",
            now: () => performance.now(),
          })
        : await evaluatePrompts({ config, workspace: head, paths: [], models, ref: "working tree", now: () => performance.now() });
      // As `--format json --out`: streamed, one case at a time.
      const report = createWriteStream(join(root, "report.json"));
      for (const chunk of renderJsonChunks(result)) if (!report.write(chunk)) await once(report, "drain");
      report.end();
      await once(report, "finish");
      const used = process.cpuUsage(cpu);
      // With `node --expose-gc`: BENCH_DEBUG=1 prints the live heap after the run (workspace and
      // result still held); BENCH_SNAPSHOT=FILE also writes a heap snapshot of it.
      if (process.env.BENCH_DEBUG && globalThis.gc) {
        const before = process.memoryUsage();
        globalThis.gc();
        if (process.env.BENCH_SNAPSHOT) (await import("node:v8")).writeHeapSnapshot(process.env.BENCH_SNAPSHOT);
        const after = process.memoryUsage();
        process.stderr.write(`heap before gc ${mb(before.heapUsed)} total ${mb(before.heapTotal)} rss ${mb(before.rss)}; live ${mb(after.heapUsed)} MB, external ${mb(after.external)} arrayBuffers ${mb(after.arrayBuffers)}\n`);
      }
      const comparison = result.comparisons[0];
      return {
        wallMs: performance.now() - started,
        cpuMs: (used.user + used.system) / 1000,
        stats: models.runner.stats(),
        caseErrors: (comparison?.head?.errors ?? 0) + (comparison?.base?.errors ?? 0),
      };
    };
    const cold = await run();
    const warm = spec.warm ? await run() : undefined;
    return {
      wallMs: cold.wallMs,
      cpuMs: cold.cpuMs,
      requestsSent: cold.stats.requestsSent,
      retries: cold.stats.retries,
      deduplicated: cold.stats.deduplicated,
      ...(warm ? { warmRequests: warm.stats.requestsSent, warmMs: warm.wallMs } : {}),
      caseErrors: cold.caseErrors,
      peakRssBytes: process.resourceUsage().maxRSS * 1024,
    };
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** The same requests as an eval sends, from a bare client: no rendering, scoring, caching or report. */
async function runFloor(spec: ScenarioSpec): Promise<ScenarioFigures> {
  const agent = new Agent({ keepAlive: true, maxFreeSockets: spec.concurrency });
  const total = spec.requests ?? spec.cases;
  const url = `${spec.url}/v1/chat/completions`;
  const send = (i: number) =>
    new Promise<void>((resolve, reject) => {
      const body = JSON.stringify({
        model: "bench-model",
        temperature: 0,
        messages: [
          { role: "system", content: "You triage support tickets. Answer with the ticket text.\n" },
          { role: "user", content: `ticket ${i}: the export job fails with code ${i % 97}\n` },
        ],
      });
      const req = httpRequest(url, { method: "POST", agent, headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) } }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          JSON.parse(Buffer.concat(chunks).toString("utf8"));
          resolve();
        });
        res.on("error", reject);
      });
      req.on("error", reject);
      req.end(body);
    });
  let next = 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: spec.concurrency }, async () => {
      while (next < total) await send(next++);
    }),
  );
  const used = process.cpuUsage(cpu);
  agent.destroy();
  return {
    wallMs: performance.now() - started,
    cpuMs: (used.user + used.system) / 1000,
    requestsSent: total,
    retries: 0,
    deduplicated: 0,
    caseErrors: 0,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** The modules an eval loads and nothing else: the RSS every scenario starts from. */
async function runIdle(): Promise<ScenarioFigures> {
  await Promise.all([import("../src/core/review.js"), import("../src/cli/git.js"), import("../src/core/report/index.js"), import("../src/core/eval/models.js")]);
  return { wallMs: 0, cpuMs: 0, requestsSent: 0, retries: 0, deduplicated: 0, caseErrors: 0, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
}

const spec = JSON.parse(process.argv[2] ?? "{}") as ScenarioSpec;
const figures = spec.mode === "floor" ? await runFloor(spec) : spec.mode === "idle" ? await runIdle() : await runScenario(spec);
process.stdout.write(`${JSON.stringify(figures)}\n`);

import { startModelServer } from "./test/support/model-server.ts";
import { createProviders } from "./src/core/providers/registry.ts";
import { createRunner } from "./src/core/eval/runner.ts";
import { DEFAULT_CONFIG } from "./src/core/config/model.ts";
const server = await startModelServer({ latencyMs: 50, record: false });
const pLimit = (await import("p-limit")).default;
const n = 1000;
const body = (i: number) => JSON.stringify({ model: "x", messages: [{ role: "user", content: "hello " + i }] });
async function measure(name: string, f: () => Promise<unknown>) {
  await f();
  const c = process.cpuUsage(); const t = performance.now();
  await f();
  const ms = performance.now() - t; const cu = process.cpuUsage(c);
  console.log(name, "wall", ms.toFixed(0), "ratio", (ms / 3125).toFixed(3), "cpu/req ms", ((cu.user + cu.system) / 1000 / n).toFixed(3));
}
let k = 0;
await measure("raw", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, (_, i) => limit(async () => { const r = await fetch(server.url + "/v1/chat/completions", { method: "POST", body: body(i), headers: { "content-type": "application/json" } }); await r.json(); }))); });
const OpenAI = (await import("openai")).default;
const client = new OpenAI({ apiKey: "x", baseURL: server.url + "/v1", maxRetries: 0 });
await measure("sdk", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, (_, i) => limit(() => client.chat.completions.create({ model: "x", messages: [{ role: "user", content: "hello " + i }] })))); });
const config = structuredClone(DEFAULT_CONFIG);
config.providers.openai.baseUrl = server.url + "/v1";
const providers = createProviders({ config, env: {} });
await measure("runner", () => { const runner = createRunner({ providers, concurrency: 16, retries: 2, timeoutMs: 5000 }); k++; return runner.run(Array.from({ length: n }, (_, i) => ({ model: "openai/gpt-4o-mini", messages: [{ role: "user" as const, content: "hello " + i }], parameters: { temperature: 0 }, repeat: k }))); });
await measure("timers only", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, () => limit(() => new Promise(r => setTimeout(r, 50))))); });
await server.close();

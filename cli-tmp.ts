import { spawn } from "node:child_process";
import http from "node:http";
const child = spawn("npx", ["tsx", "./srv-tmp.ts"], { stdio: ["ignore", "pipe", "inherit"] });
const url: string = await new Promise(r => child.stdout.once("data", d => r(String(d).trim())));
const pLimit = (await import("p-limit")).default;
const n = 1000;
const body = (i: number) => JSON.stringify({ model: "x", messages: [{ role: "user", content: "hello " + i }] });
async function measure(name: string, f: () => Promise<unknown>) {
  await f();
  const c = process.cpuUsage(); const t = performance.now();
  await f();
  const ms = performance.now() - t; const cu = process.cpuUsage(c);
  console.log(name, "wall", ms.toFixed(0), "ratio", (ms / 3125).toFixed(3), "client cpu/req ms", ((cu.user + cu.system) / 1000 / n).toFixed(3));
}
await measure("raw fetch", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, (_, i) => limit(async () => { const r = await fetch(url + "/v1/chat/completions", { method: "POST", body: body(i), headers: { "content-type": "application/json" } }); await r.json(); }))); });
const agent = new http.Agent({ keepAlive: true });
await measure("http.request", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, (_, i) => limit(() => new Promise((res, rej) => { const req = http.request(url + "/v1/chat/completions", { method: "POST", agent, headers: { "content-type": "application/json" } }, (r) => { const ch: Buffer[] = []; r.on("data", c => ch.push(c)); r.on("end", () => res(JSON.parse(Buffer.concat(ch).toString()))); }); req.on("error", rej); req.end(body(i)); })))); });
const OpenAI = (await import("openai")).default;
const client = new OpenAI({ apiKey: "x", baseURL: url + "/v1", maxRetries: 0 });
await measure("sdk", () => { const limit = pLimit(16); return Promise.all(Array.from({ length: n }, (_, i) => limit(() => client.chat.completions.create({ model: "x", messages: [{ role: "user", content: "hello " + i }] })))); });
child.kill("SIGTERM");

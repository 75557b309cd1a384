// Runs the local model server in its own process, so the benchmark measures PromptOps' client and
// not a server sharing its event loop (a real provider is another machine).

import { startModelServer } from "../test/support/model-server.js";

const server = await startModelServer({ latencyMs: Number(process.env.BENCH_LATENCY_MS ?? 50), record: false });
process.send!({ url: server.url });
process.on("message", async (message: unknown) => {
  if (message === "close") {
    await server.close();
    process.exit(0);
  }
});
// The benchmark ending in any way ends this process too.
process.on("disconnect", () => process.exit(0));

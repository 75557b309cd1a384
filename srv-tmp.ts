import { startModelServer } from "./test/support/model-server.ts";
const server = await startModelServer({ latencyMs: 50, record: false });
console.log(server.url);
process.on("SIGTERM", async () => { const c = process.cpuUsage(); console.error("server cpu total ms", (c.user + c.system) / 1000); await server.close(); process.exit(0); });

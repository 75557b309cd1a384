import { startModelServer } from "../test/support/model-server.js";
const server = await startModelServer({ latencyMs: 50, record: false });
console.log(server.url);
setTimeout(() => void server.close(), 600_000);

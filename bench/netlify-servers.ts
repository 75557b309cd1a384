// Netlify's side of the webhook benchmark, in its own process so the benchmark measures the
// function and not servers sharing its event loop: a Netlify Blobs server (@netlify/blobs' own)
// and a stand-in for the background function's endpoint, which Netlify answers 202 at once.

import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobsServer } from "@netlify/blobs/server";

// In memory where the machine has a tmpfs: Netlify's Blobs service is not this machine's disk,
// whose write stalls would otherwise show up as the function's latency.
const directory = await mkdtemp(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "promptops-bench-blobs-"));
const blobs = new BlobsServer({ directory, token: "bench", port: 0 });
const { port } = await blobs.start();
const router = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(202).end());
});
await new Promise<void>((resolve) => router.listen(0, "127.0.0.1", resolve));

const stop = async () => {
  router.close();
  await blobs.stop();
  await rm(directory, { recursive: true, force: true });
  process.exit(0);
};
process.send!({ blobsURL: `http://127.0.0.1:${port}`, origin: `http://127.0.0.1:${(router.address() as AddressInfo).port}` });
process.on("message", (message: unknown) => {
  if (message === "close") void stop();
});
process.on("disconnect", () => void stop());

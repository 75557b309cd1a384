// What the serverless App's tests run against: Netlify Blobs served by @netlify/blobs' own
// server in a temporary folder, signed deliveries as GitHub sends them, and a small stand-in for
// Netlify's function router that accepts a background invocation with a 202 and runs it after.

import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { getStore, type Store } from "@netlify/blobs";
import { DELIVERIES_STORE } from "../../src/netlify/deliveries.js";
import { EVAL_CACHE_STORE } from "../../src/netlify/stores.js";
import { signatureFor } from "../../src/netlify/signature.js";
import type { BlobsConnection } from "../../src/netlify/stores.js";
import { APP_ID } from "../fixtures/github/payloads.js";
import { privateKey } from "../app/helpers.js";

export const SECRET = "netlify-webhook-secret";

export interface LocalBlobs {
  connection: BlobsConnection;
  /** The deliveries' store, read directly. */
  deliveries: Store;
  /** Every key in the deliveries' store. */
  keys(): Promise<string[]>;
  /** Empties the deliveries' store and production's eval cache. */
  clear(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The server runs in its own Node process, as `netlify dev` runs it: inside Jest's module
 * sandbox it cannot recognise Node's own "no such file" errors and answers a missing key with 500.
 */
const SERVE_BLOBS = `
import { BlobsServer } from "@netlify/blobs/server";
const [directory, token] = process.argv.slice(-2);
const { port } = await new BlobsServer({ directory, token, port: 0 }).start();
process.stdout.write(port + "\\n");
`;

export async function startBlobs(): Promise<LocalBlobs> {
  const directory = await mkdtemp(join(tmpdir(), "promptops-blobs-"));
  const token = "local-blobs-token";
  const child = spawn(process.execPath, ["--input-type=module", "-e", SERVE_BLOBS, directory, token], { stdio: ["ignore", "pipe", "inherit"] });
  const [first] = (await once(child.stdout!, "data")) as [Buffer];
  const port = Number(first.toString("utf8").trim());
  const connection = { siteID: "site-0001", token, apiURL: `http://127.0.0.1:${port}` };
  const deliveries = getStore({ name: DELIVERIES_STORE, ...connection });
  const cache = getStore({ name: EVAL_CACHE_STORE, ...connection });
  return {
    connection,
    deliveries,
    keys: async () => (await deliveries.list()).blobs.map((b) => b.key).sort(),
    clear: async () => {
      for (const store of [deliveries, cache]) {
        for (const { key } of (await store.list()).blobs) await store.delete(key);
      }
    },
    close: async () => {
      child.kill();
      await once(child, "exit");
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** The App's environment: the private key base64-encoded, as Netlify's small environment wants it. */
/**
 * What a deployed function's process.env holds: the App's settings and, as Netlify passes it, the
 * Blobs context (here the local server's); the caller restores process.env after each test.
 */
export function deployedEnvironment(blobs: { connection: unknown }): Record<string, string> {
  return { ...appEnvironment(), NETLIFY_BLOBS_CONTEXT: Buffer.from(JSON.stringify(blobs.connection)).toString("base64") };
}

export function appEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  return {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: Buffer.from(privateKey()).toString("base64"),
    WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: "silent",
    ...extra,
  };
}

let deliveryCounter = 0;
export function newDeliveryId(): string {
  deliveryCounter++;
  return `72d3162e-cc78-11e3-81ab-${String(deliveryCounter).padStart(12, "0")}`;
}

export interface Delivery {
  id?: string;
  event: string;
  payload: unknown;
  /** Replace the signature headers (undefined: a correct X-Hub-Signature-256). */
  headers?: Record<string, string | undefined>;
  /** The body as sent, when not `JSON.stringify(payload)`. */
  body?: string;
}

/** A POST as GitHub makes it, to `origin` + /api/github/webhooks. */
export function githubRequest(origin: string, delivery: Delivery): Request {
  const body = delivery.body ?? JSON.stringify(delivery.payload);
  const headers: Record<string, string> = {
    "content-type": "application/json",
    "user-agent": "GitHub-Hookshot/5f4d7a2",
    "x-github-delivery": delivery.id ?? newDeliveryId(),
    "x-github-event": delivery.event,
    "x-github-hook-id": "292430182",
    "x-hub-signature-256": signatureFor(SECRET, body),
  };
  for (const [name, value] of Object.entries(delivery.headers ?? {})) {
    if (value === undefined) delete headers[name];
    else headers[name] = value;
  }
  return new Request(`${origin}/api/github/webhooks`, { method: "POST", headers, body });
}

export interface NetlifyRouter {
  origin: string;
  /** The bodies the background function was invoked with, in order. */
  invocations: string[];
  /** Resolves when every background invocation so far has finished (their responses, or errors). */
  settled(): Promise<(Response | Error)[]>;
  close(): Promise<void>;
}

/**
 * Netlify's side of a background function: it answers the caller 202 at once and runs the
 * handler afterwards; a handler that throws is a failed invocation (Netlify would retry it).
 */
export async function startNetlifyRouter(background: (req: Request) => Promise<Response>): Promise<NetlifyRouter> {
  const invocations: string[] = [];
  const running: Promise<Response | Error>[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/.netlify/functions/review-background") {
        res.writeHead(404).end();
        return;
      }
      const body = Buffer.concat(chunks).toString("utf8");
      invocations.push(body);
      res.writeHead(202).end();
      const request = new Request(`${origin}${req.url}`, { method: "POST", headers: { "content-type": "application/json" }, body });
      running.push(background(request).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error)))));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    invocations,
    settled: () => Promise.all(running),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A background invocation with `{ id }`, as the webhook makes it. */
export function backgroundRequest(id: string): Request {
  return new Request("http://127.0.0.1/.netlify/functions/review-background", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ id }) });
}

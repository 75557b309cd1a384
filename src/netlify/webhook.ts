// The serverless App's webhook: verify the signature on the raw bytes, drop what PromptOps does
// not handle, run the routes that call no model inline, and queue the rest (the envelope in
// Netlify Blobs under the delivery id, the background worker started with the id alone) so
// GitHub gets its answer in milliseconds. Nothing here loads the evaluation engine or a model SDK.

import type { ProbotOctokit } from "probot";
import { loadAppEnv } from "../app/env.js";
import { readEvent, routesFor } from "../host/routes.js";
import type { WorkflowLog } from "../workflows/deps.js";
import { isDeliveryId, type DeliveryStore } from "./deliveries.js";
import { consoleLog, oneLine, text } from "./log.js";
import { verifySignature } from "./signature.js";
import { deliveriesIn, type BlobsConnection } from "./stores.js";

/** Where Netlify serves the background worker (netlify/functions/review-background.mts). */
export const BACKGROUND_PATH = "/.netlify/functions/review-background";

export interface WebhookOptions {
  env: Record<string, string | undefined>;
  /** The deliveries' store; made only when a delivery is queued. */
  deliveries: () => DeliveryStore;
  log?: WorkflowLog;
  /** Starts the background worker (default: POST `{ id }` to BACKGROUND_PATH on the request's origin). */
  fetch?: typeof fetch;
  /** For the quick routes' GitHub client (tests turn Probot's retry and throttling waits off). */
  Octokit?: typeof ProbotOctokit;
  now?: () => Date;
}

/** The options the Netlify function uses: its environment, Blobs from Netlify's context. */
export function netlifyWebhookOptions(env: Record<string, string | undefined>, connection?: BlobsConnection): WebhookOptions {
  return { env, deliveries: () => deliveriesIn(connection) };
}

export async function handleWebhook(req: Request, options: WebhookOptions): Promise<Response> {
  const log = options.log ?? consoleLog;
  if (req.method !== "POST") return text(405, "PromptOps receives GitHub webhooks here (POST only)");
  const loaded = loadAppEnv(options.env);
  if (!loaded.ok) {
    // One line for the operator, in the log and in GitHub's delivery view; no stack trace.
    log.error(loaded.error);
    return text(500, `PromptOps is not configured: ${loaded.error}`);
  }
  const app = loaded.value;

  const body = new Uint8Array(await req.arrayBuffer());
  const signature = req.headers.get("x-hub-signature-256");
  const check = verifySignature(app.webhookSecret, body, signature, req.headers.get("x-hub-signature"));
  if (!check.ok) {
    log.warn(`refused a delivery: ${check.reason}`);
    return text(401, `signature refused: ${check.reason}`);
  }

  const id = req.headers.get("x-github-delivery");
  const name = req.headers.get("x-github-event");
  if (!isDeliveryId(id)) return text(400, "X-GitHub-Delivery is missing or not a delivery id");
  if (!name) return text(400, "X-GitHub-Event is missing");
  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(body));
  } catch {
    return text(400, "the body is not JSON");
  }
  if (name === "ping") return text(200, "pong");

  const event = { name, payload };
  const routes = routesFor("netlify", name, readEvent(event).action);
  if (routes.length === 0) return text(200, `ignored: PromptOps does not handle ${readEvent(event).trigger()}`);

  const queued = routes.some((route) => route.quick !== true)
    ? await queue(req, { id, event: name, signature: signature!, body, receivedAt: (options.now?.() ?? new Date()).toISOString() }, options, log)
    : undefined;
  if (queued && queued.status >= 500) return queued;

  if (routes.some((route) => route.quick === true)) {
    // Calls no model and a few GitHub APIs: done before answering, well inside GitHub's 10 s.
    const { runRoutes } = await import("./run-routes.js");
    const env = options.env;
    // A route's own failure is logged by handleDelivery; one before any route ran (no
    // installation token, say) is logged here.
    const outcomes = await runRoutes(event, "quick", { app, env, log, ...(options.Octokit ? { Octokit: options.Octokit } : {}) }).catch((error: unknown) => {
      log.error(`delivery ${id}: ${oneLine(error)}`);
      return [{ route: "quick routes", status: "failed" as const, error }];
    });
    const failed = outcomes.filter((o) => o.status === "failed");
    if (failed.length > 0) return text(500, `${failed.map((o) => o.route).join(", ")} failed; see the function log for delivery ${id}`);
    if (!queued) return text(200, `done: ${routes.map((r) => r.name).join(", ")}`);
  }
  return queued!;
}

async function queue(
  req: Request,
  envelope: Parameters<DeliveryStore["enqueue"]>[0],
  options: WebhookOptions,
  log: WorkflowLog,
): Promise<Response> {
  const deliveries = options.deliveries();
  const { id } = envelope;
  try {
    if (!(await deliveries.enqueue(envelope))) {
      // A redelivery of an id already stored is not queued twice; one whose start failed is restarted.
      const state = await deliveries.state(id);
      if (state?.status !== "failed") return text(200, `already received: delivery ${id} is ${state?.status ?? "queued"}`);
      await deliveries.record(id, { status: "queued", event: state.event, attempts: state.attempts });
    }
  } catch (error) {
    log.error(`cannot store delivery ${id} in Netlify Blobs: ${oneLine(error)}`);
    return text(500, `cannot store delivery ${id}; see the function log`);
  }

  const worker = backgroundUrl(req, options.env);
  try {
    const response = await (options.fetch ?? fetch)(worker, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id }),
      signal: AbortSignal.timeout(5_000),
    });
    // Netlify answers 202 as soon as a background function is accepted.
    if (!response.ok) throw new Error(`${worker} answered ${response.status}`);
    await response.body?.cancel();
  } catch (error) {
    const reason = `could not start the background worker: ${oneLine(error)}`;
    log.error(`delivery ${id}: ${reason}`);
    await deliveries.record(id, { status: "failed", event: envelope.event, attempts: 0, reason }).catch(() => undefined);
    // GitHub shows the failure; "Redeliver" restarts it (the envelope is kept).
    return text(500, `delivery ${id} stored but ${reason}`);
  }
  return text(202, `queued: delivery ${id}`);
}

/** The worker of the same deploy as this request; Netlify's `URL` when the request has no origin. */
function backgroundUrl(req: Request, env: Record<string, string | undefined>): string {
  let origin: string | undefined;
  try {
    origin = new URL(req.url).origin;
  } catch {
    origin = undefined;
  }
  if (!origin || origin === "null") origin = env.URL;
  return new URL(BACKGROUND_PATH, origin).href;
}

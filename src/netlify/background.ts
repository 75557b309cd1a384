// The serverless App's background worker: given a delivery id, it loads the envelope the webhook
// stored, verifies its signature again (anyone can call this function's URL), runs the routes
// that were queued, and records the delivery's state. Safe to run twice: Netlify retries a failed
// invocation, and the workflows take over their own check run and sticky comment for a head.

import type { ProbotOctokit } from "probot";
import { loadAppEnv } from "../app/env.js";
import type { ResponseCache } from "../core/eval/cache.js";
import type { RouteOutcome } from "../host/delivery.js";
import { payloadReader } from "../host/payload.js";
import type { WorkflowLog } from "../workflows/deps.js";
import type { HeadLocks } from "../workflows/head-locks.js";
import { blobHeadLocks } from "../host/blob-locks.js";
import { getStore } from "@netlify/blobs";
import { DELIVERIES_STORE } from "./deliveries.js";
import { blobsCache } from "./blobs-cache.js";
import { isDeliveryId, type DeliveryState, type DeliveryStore } from "./deliveries.js";
import { consoleLog, oneLine, text } from "./log.js";
import { runRoutes } from "./run-routes.js";
import { verifySignature } from "./signature.js";
import { cacheScope, deliveriesIn, evalCacheStore, type BlobsConnection, type NetlifyContext } from "./stores.js";

export interface BackgroundOptions {
  env: Record<string, string | undefined>;
  deliveries: () => DeliveryStore;
  /** Locks shared by every instance for one delivery's heads; none, this process's own. */
  locks?: (deliveryId: string) => HeadLocks;
  /** The eval cache for a repository (by its id); none, no cache. */
  cache?: (repositoryId: number | undefined) => ResponseCache | undefined;
  log?: WorkflowLog;
  Octokit?: typeof ProbotOctokit;
  fetch?: typeof fetch;
  retryAfterBaseMs?: number;
}

/** The options the Netlify function uses: its environment, Blobs from Netlify's context. */
export function netlifyBackgroundOptions(env: Record<string, string | undefined>, context?: NetlifyContext, connection?: BlobsConnection): BackgroundOptions {
  const scope = cacheScope(env, context);
  return {
    env,
    deliveries: () => deliveriesIn(connection),
    locks: (deliveryId) => headLocksIn(deliveryId, connection),
    cache: (repositoryId) => blobsCache(evalCacheStore(scope, connection), repositoryId !== undefined ? `repo-${repositoryId}/` : "repo-unknown/"),
  };
}

/**
 * Per-head locks shared by every instance of the worker, in the deliveries' store (strong reads,
 * atomic only-if-new writes): concurrent deliveries for one head take turns instead of each
 * posting a check run and a comment. `deliveryId` holds the leases, so Netlify's retry of a
 * crashed delivery takes its own lock back at once.
 */
export function headLocksIn(deliveryId: string, connection?: BlobsConnection): HeadLocks {
  return blobHeadLocks(getStore({ name: DELIVERIES_STORE, consistency: "strong", ...connection }), { holder: deliveryId });
}

/**
 * Answers 2xx when the delivery is done (or was already), 4xx when it must not be retried
 * (unknown id, refused signature), 5xx when a retry may succeed.
 */
export async function handleQueuedDelivery(req: Request, options: BackgroundOptions): Promise<Response> {
  const log = options.log ?? consoleLog;
  const loaded = loadAppEnv(options.env);
  if (!loaded.ok) {
    log.error(loaded.error);
    return text(500, `PromptOps is not configured: ${loaded.error}`);
  }
  const app = loaded.value;

  let id: unknown;
  try {
    id = ((await req.json()) as { id?: unknown } | null)?.id;
  } catch {
    id = undefined;
  }
  if (typeof id !== "string" || !isDeliveryId(id)) return text(400, 'expected a JSON body {"id": "<delivery id>"}');

  const deliveries = options.deliveries();
  const envelope = await deliveries.envelope(id);
  if (!envelope) {
    log.warn(`no stored delivery ${id}`);
    return text(404, `no stored delivery ${id}`);
  }
  const previous = await deliveries.state(id);
  const attempts = (previous?.attempts ?? 0) + 1;
  const record = (state: Omit<DeliveryState, "updatedAt" | "event" | "attempts">) => deliveries.record(id, { event: envelope.event, attempts, ...state });

  // The envelope is only as trusted as its signature: verified again on the stored bytes.
  const check = verifySignature(app.webhookSecret, envelope.body, envelope.signature);
  if (!check.ok) {
    log.error(`delivery ${id} refused: ${check.reason}`);
    await record({ status: "failed", reason: `signature refused: ${check.reason}` });
    return text(401, `delivery ${id} refused: ${check.reason}`);
  }
  if (previous?.status === "done") return text(200, `delivery ${id} is already done`);

  let payload: unknown;
  try {
    payload = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(envelope.body));
  } catch {
    await record({ status: "failed", reason: "the stored body is not JSON" });
    return text(400, `delivery ${id}: the stored body is not JSON`);
  }
  const event = payloadReader(envelope.event, payload);
  const target = targetOf(event);
  await record({ status: "running", ...(target ? { target } : {}) });

  let outcomes: RouteOutcome[];
  try {
    const cache = options.cache?.(event.optionalNumber("repository.id"));
    outcomes = await runRoutes({ name: envelope.event, payload }, "queued", {
      app,
      env: options.env,
      log,
      ...(cache ? { cache } : {}),
      ...(options.locks ? { locks: options.locks(id) } : {}),
      ...(options.Octokit ? { Octokit: options.Octokit } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseMs: options.retryAfterBaseMs } : {}),
    });
  } catch (error) {
    outcomes = [{ route: "delivery", status: "failed", error }];
  }

  const routes = outcomes.map((o) =>
    o.status === "done" ? { route: o.route, status: o.status, ...outcomeOf(o.result) } : { route: o.route, status: o.status, error: oneLine(o.error) },
  );
  const failed = routes.filter((r) => r.status === "failed");
  if (failed.length > 0) {
    const reason = failed.map((r) => `${r.route}: ${r.error}`).join("; ");
    log.error(`delivery ${id} (${event.trigger()}${target ? ` on ${target}` : ""}) failed, attempt ${attempts}: ${reason}`);
    await record({ status: "failed", reason, routes, ...(target ? { target } : {}) });
    return text(500, `delivery ${id} failed: ${reason}`);
  }
  await record({ status: "done", routes, ...(target ? { target } : {}) });
  log.info(`delivery ${id} (${event.trigger()}${target ? ` on ${target}` : ""}) done`);
  return text(200, `delivery ${id} done`);
}

function targetOf(event: ReturnType<typeof payloadReader>): string | undefined {
  const number = event.optionalNumber("pull_request.number") ?? event.optionalNumber("issue.number");
  const repo = event.optionalString("repository.full_name");
  return repo !== undefined && number !== undefined ? `${repo}#${number}` : repo;
}

/** A workflow's result in a word (`reviewed`, `skipped: draft`), for the delivery's state. */
function outcomeOf(result: unknown): { outcome?: string } {
  if (!result || typeof result !== "object") return {};
  const { status, reason } = result as { status?: unknown; reason?: unknown };
  if (typeof status !== "string") return {};
  return { outcome: typeof reason === "string" ? `${status}: ${reason}` : status };
}

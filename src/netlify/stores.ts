// Which Netlify Blobs stores the serverless App uses: the deliveries (one per site) and the eval
// cache (one per site for production; each deploy preview or branch deploy gets its own, so a
// preview running changed code never fills the cache production reads).

import { getDeployStore, getStore, type Store } from "@netlify/blobs";
import { deliveryStore, DELIVERIES_STORE, type DeliveryStore } from "./deliveries.js";

/** Explicit credentials (tests, a local Blobs server); absent, Netlify's function environment is used. */
export interface BlobsConnection {
  siteID: string;
  token: string;
  /** Netlify's API (two requests per operation: a signed URL, then the blob). */
  apiURL?: string;
  /** Netlify's edge, as functions reach Blobs in production (one request per operation). */
  edgeURL?: string;
  /** The edge without its cache, for strong reads. */
  uncachedEdgeURL?: string;
}

/** The part of a Netlify function's `context` argument the App reads. */
export interface NetlifyContext {
  deploy?: { id?: string; context?: string };
  site?: { url?: string };
}

export const EVAL_CACHE_STORE = "promptops-eval-cache";

export function deliveriesIn(connection?: BlobsConnection): DeliveryStore {
  // Strong reads: the worker must see the envelope the webhook wrote a moment earlier.
  return deliveryStore(getStore({ name: DELIVERIES_STORE, consistency: "strong", ...connection }));
}

export interface CacheScope {
  /** Netlify's deploy context: `production`, `deploy-preview`, `branch-deploy`, `dev`. */
  context: string;
  /** Set for every context but production: the store lives and dies with that deploy. */
  deployID?: string;
}

/** From the function's context (`context.deploy`) or, failing that, Netlify's `CONTEXT` and `DEPLOY_ID`. */
export function cacheScope(env: Record<string, string | undefined>, context?: NetlifyContext): CacheScope {
  const deployContext = context?.deploy?.context ?? env.CONTEXT ?? "production";
  if (deployContext === "production") return { context: deployContext };
  const deployID = context?.deploy?.id ?? env.DEPLOY_ID;
  return deployID ? { context: deployContext, deployID } : { context: deployContext };
}

export function evalCacheStore(scope: CacheScope, connection?: BlobsConnection): Store {
  if (scope.context === "production") return getStore({ name: EVAL_CACHE_STORE, ...connection });
  if (scope.deployID) return getDeployStore({ name: EVAL_CACHE_STORE, deployID: scope.deployID, ...connection });
  // A preview whose deploy id is unknown still stays out of production's store.
  return getStore({ name: `${EVAL_CACHE_STORE}-${scope.context.replace(/[^A-Za-z0-9-]/g, "-")}`.slice(0, 64), ...connection });
}

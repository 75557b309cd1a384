// One delivery, on any host: the routes that answer the event run side by side over one set of
// reads, so the pull request, its files, the rules and both trees are read once per delivery.

import type { PullRef } from "../github/port.js";
import type { WorkflowDeps } from "../workflows/deps.js";
import { deliveryReads, pullRequestView, type DeliveryReads } from "../workflows/pull-request-view.js";
import { readEvent, routesFor, ROUTES, type HostKind, type Route, type RouteEvent } from "./routes.js";

export interface Host {
  kind: HostKind;
  /** The workflow deps for one delivery, over the reads its routes share. */
  deps(reads: DeliveryReads): WorkflowDeps;
  /** This host's GitHub App id, when it is an App. */
  ownAppId?: number;
  /** The repository checked out on disk, when the host has one (the Action). */
  workspace?: string;
  /** This delivery was asked for again by a person (the Action's run attempt > 1). */
  rerun?: boolean;
  routes?: readonly Route[];
}

export type RouteOutcome =
  | { route: string; status: "done"; result: unknown }
  | { route: string; status: "failed"; error: unknown };

/** Runs every route of `host` that answers `event`; a route's failure does not stop the others. */
export async function handleDelivery(host: Host, event: RouteEvent): Promise<RouteOutcome[]> {
  const reader = readEvent(event);
  const routes = routesFor(host.kind, event.name, reader.action, host.routes ?? ROUTES);
  if (routes.length === 0) return [];
  const reads = deliveryReads();
  const deps = host.deps(reads);
  // The workflows load synchronously once asked for (tens of milliseconds on a cold start, and
  // the request client queues its first request over several timer turns): they load once the
  // pull request is read, while its rules are read, which every such route waits for anyway.
  await prefetchPullRequest(routes, reader, deps, reads);
  const context = {
    deps,
    ...(host.ownAppId !== undefined ? { ownAppId: host.ownAppId } : {}),
    ...(host.workspace !== undefined ? { workspace: host.workspace } : {}),
    ...(host.rerun ? { rerun: true } : {}),
  };
  return Promise.all(
    routes.map(async (route): Promise<RouteOutcome> => {
      try {
        return { route: route.name, status: "done", result: await route.run(context, reader) };
      } catch (error) {
        deps.log.error(`${route.name} failed on ${reader.trigger()}: ${error instanceof Error ? error.message : String(error)}`);
        return { route: route.name, status: "failed", error };
      }
    }),
  );
}

/**
 * The pull request and its base rules, asked for at once when a route will read them; resolves
 * once the pull request is read. A cold start then sends its first request before loading the
 * workflows, and loads them while the rules are read; the routes find both in the delivery's
 * view. A failure here is left to the routes, which ask again and report it.
 */
async function prefetchPullRequest(routes: readonly Route[], reader: ReturnType<typeof readEvent>, deps: WorkflowDeps, reads: DeliveryReads): Promise<void> {
  if (!routes.some((route) => route.readsPullRequest)) return;
  let ref: PullRef;
  try {
    ref = { ...reader.repo(), number: reader.number("pull_request.number") };
  } catch {
    return; // a payload the routes will refuse with the reason
  }
  const view = pullRequestView(deps.github, reads, ref, deps.configPath);
  view.rules().catch(() => undefined);
  await view.pr().catch(() => undefined);
}

/**
 * Reads shared by the handlers of one delivery when a framework calls each route's handler on
 * its own (Probot): kept until as many handlers as answer the event have finished, however
 * their starts and ends interleave, then dropped.
 */
export class DeliveryReadsByDelivery {
  readonly #open = new Map<string, { reads: DeliveryReads; left: number }>();

  /** `handlers`: how many routes answer this delivery (`routesFor(...).length`). */
  acquire(deliveryId: string, handlers: number): DeliveryReads {
    let entry = this.#open.get(deliveryId);
    if (!entry) this.#open.set(deliveryId, (entry = { reads: deliveryReads(), left: handlers }));
    return entry.reads;
  }

  release(deliveryId: string): void {
    const entry = this.#open.get(deliveryId);
    if (entry && --entry.left <= 0) this.#open.delete(deliveryId);
  }

  /** Deliveries whose handlers have not all finished. */
  get size(): number {
    return this.#open.size;
  }
}

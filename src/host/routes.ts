// The route table: which workflow answers which GitHub event, the same for every host. The
// Probot App registers each route, the Action and the Netlify worker look up the routes of the
// one event they were given; none of them decides anything about prompts.

import type { RepoRef } from "../github/port.js";
import type { WorkflowDeps } from "../workflows/deps.js";
import { payloadReader, type PayloadReader } from "./payload.js";

// The workflows are loaded when a route first runs, not with the table: a serverless webhook
// reads the table to acknowledge an event in milliseconds and must not load the evaluation
// engine to do so (test/netlify/cold-start.test.ts holds it to that). One import, shared by the
// routes of a delivery that start together.
let loading: Promise<typeof import("./route-workflows.js")> | undefined;
const workflows = () => (loading ??= import("./route-workflows.js"));

export type HostKind = "app" | "action" | "netlify";

/** One event as GitHub sent it: `X-GitHub-Event` (or `GITHUB_EVENT_NAME`) and its JSON payload. */
export interface RouteEvent {
  name: string;
  payload: unknown;
}

export interface RouteContext {
  deps: WorkflowDeps;
  /** This host's GitHub App id, when it is an App: re-runs of other apps' checks are ignored. */
  ownAppId?: number;
  /** The repository checked out on disk (the Action's GITHUB_WORKSPACE), for routes that read git. */
  workspace?: string;
  /**
   * Someone asked for this event to be handled again (the Action's "Re-run jobs"): a review
   * evaluates again instead of treating it as a redelivery of a head already reported on.
   */
  rerun?: boolean;
}

export interface Route {
  /** Stable name, for logs and for hosts that report per route. */
  name: string;
  /** `event.action` (or a bare `event`) keys, as GitHub names them. */
  on: readonly string[];
  /** The hosts that take this route; every host when absent. */
  hosts?: readonly HostKind[];
  /**
   * The route calls no model and makes a few GitHub calls: it fits well inside GitHub's 10 s
   * webhook deadline, so a serverless host may run it before answering instead of queueing it.
   */
  quick?: boolean;
  /**
   * The route starts by reading the event's pull request and its base rules (through the
   * delivery's pull request view): the host may ask for them while the workflows still load.
   */
  readsPullRequest?: boolean;
  run(context: RouteContext, event: PayloadReader): Promise<unknown>;
}

export const REVIEW_EVENTS = [
  "pull_request.opened",
  "pull_request.synchronize",
  "pull_request.reopened",
  "pull_request.ready_for_review",
] as const;

/**
 * `pull_request_target` is `pull_request` run in the base branch's context (its secrets and a
 * write token): what it asks of the workflows is the same.
 */
export const TARGET_EVENTS = [...REVIEW_EVENTS.map((key) => key.replace("pull_request.", "pull_request_target.")), "pull_request_target.labeled"];

const pullTarget = (event: PayloadReader, context: Pick<RouteContext, "rerun"> = {}) => {
  const trigger = event.trigger().replace(/^pull_request_target\./, "pull_request.");
  return {
    repo: event.repo(),
    number: event.number("pull_request.number"),
    trigger: context.rerun ? `${trigger} (re-run)` : trigger,
  };
};

export const ROUTES: readonly Route[] = [
  {
    name: "review",
    readsPullRequest: true,
    on: REVIEW_EVENTS,
    run: async ({ deps, rerun }, event) => (await workflows()).reviewPullRequest(deps, pullTarget(event, { rerun })),
  },
  {
    // Ownership runs beside the review, on its own: owners are asked and `promptops/owners` set
    // even when the eval is skipped (draft, no model access) or fails.
    name: "owners",
    readsPullRequest: true,
    on: REVIEW_EVENTS,
    run: async ({ deps, rerun }, event) => (await workflows()).syncOwnership(deps, pullTarget(event, { rerun })),
  },
  {
    // The maintainer-label pattern: a workflow on `pull_request_target` (secrets, write token)
    // reviews the head a maintainer looked at. Its files are read as data through the API at that
    // SHA, never checked out or run; a head pushed since is not reviewed under that approval.
    name: "review-target",
    readsPullRequest: true,
    on: TARGET_EVENTS,
    hosts: ["action"],
    run: async ({ deps, rerun }, event) => {
      const target = pullTarget(event, { rerun });
      const seen = event.string("pull_request.head.sha");
      const { pullRequestView, reviewPullRequest } = await workflows();
      const pr = await pullRequestView(deps.github, deps.reads, { ...target.repo, number: target.number }, deps.configPath).pr();
      if (pr.head.sha !== seen) {
        deps.log.warn(`Not reviewing #${target.number}: its head moved from ${seen.slice(0, 7)} to ${pr.head.sha.slice(0, 7)} after the event.`);
        return { status: "skipped", reason: "head-moved", headSha: seen, newHeadSha: pr.head.sha };
      }
      return reviewPullRequest(deps, target);
    },
  },
  {
    name: "owners-target",
    readsPullRequest: true,
    on: TARGET_EVENTS,
    hosts: ["action"],
    run: async ({ deps, rerun }, event) => (await workflows()).syncOwnership(deps, pullTarget(event, { rerun })),
  },
  {
    name: "owners-on-review",
    readsPullRequest: true,
    on: ["pull_request_review.submitted", "pull_request_review.dismissed"],
    quick: true,
    run: async ({ deps }, event) => (await workflows()).syncOwnership(deps, pullTarget(event)),
  },
  {
    // A pull request that changes the pins file is a promotion: `promptops/promotion` checks it
    // (the workflow returns at once when the pins file is not among the changed files). Queued
    // with the review, whose reads of the pull request, its files and the base rules it shares.
    name: "promotion",
    readsPullRequest: true,
    on: REVIEW_EVENTS,
    run: async ({ deps }, event) => (await workflows()).checkPromotion(deps, pullTarget(event)),
  },
  {
    // An environment owner's approval (or its dismissal) changes the promotion check.
    name: "promotion-on-review",
    readsPullRequest: true,
    on: ["pull_request_review.submitted", "pull_request_review.dismissed"],
    quick: true,
    run: async ({ deps }, event) => (await workflows()).checkPromotion(deps, pullTarget(event)),
  },
  {
    // Only a workflow has a schedule; the drift check keeps one issue per environment.
    name: "drift",
    on: ["schedule"],
    hosts: ["action"],
    run: async ({ deps }, event) => (await workflows()).runDriftCheck({ github: deps.github, log: deps.log, fetch: globalThis.fetch, ...optional("configPath", deps.configPath) }, { repo: event.repo() }),
  },
  {
    // Approved prompt versions get their tags on merge; a PR closed unmerged has nothing to tag.
    name: "tags",
    on: ["pull_request.closed"],
    run: async ({ deps }, event) => {
      if (!event.optionalBoolean("pull_request.merged")) return { skipped: "closed without merging" };
      return (await workflows()).tagMergedPrompts(deps, { ...event.repo(), number: event.number("pull_request.number") });
    },
  },
  {
    // A workflow on `push` sees the merge land on the default branch with a token that can
    // write tags, even for a pull request from a fork.
    name: "tags-on-push",
    on: ["push"],
    hosts: ["action"],
    run: async ({ deps }, event) => {
      const notDefault = notDefaultBranchPush(event);
      if (notDefault) return { skipped: notDefault };
      const repo = event.repo();
      const sha = event.string("after");
      const numbers = await deps.github.listMergedPullRequestsForCommit(repo, sha);
      if (numbers.length === 0) return { skipped: `no merged pull request has commit ${sha.slice(0, 7)}` };
      const merged = [];
      const { tagMergedPrompts } = await workflows();
      for (const number of numbers) merged.push({ number, result: await tagMergedPrompts(deps, { ...repo, number }) });
      return { merged };
    },
  },
  {
    // What landed on the default branch is evaluated where the workflow checked it out: its
    // answers go to the eval cache that only the default branch saves, so the next pull
    // request's base side costs nothing.
    name: "review-on-push",
    on: ["push"],
    hosts: ["action"],
    run: async ({ deps, workspace }, event) => {
      const notDefault = notDefaultBranchPush(event);
      if (notDefault) return { skipped: notDefault };
      const before = event.string("before");
      const after = event.string("after");
      if (/^0+$/.test(before)) return { skipped: "the branch was just created: nothing to compare with" };
      const { reviewBetweenRefs, unreachable } = await workflows();
      const why = (await unreachable(workspace, before)) ?? (await unreachable(workspace, after));
      if (why) return { skipped: `${why}: to evaluate what lands on the default branch (and fill the eval cache), check it out with actions/checkout and fetch-depth: 2` };
      return reviewBetweenRefs(deps, { workspace: workspace!, base: before, head: after });
    },
  },
  {
    // A review between two refs of the checked-out repository, started by hand.
    name: "review-refs",
    on: ["workflow_dispatch"],
    hosts: ["action"],
    run: async ({ deps, workspace }, event) => {
      const base = event.optionalString("inputs.base");
      if (!base) return { skipped: "no base input: add `base` (and `head`) inputs to the workflow_dispatch trigger" };
      if (workspace === undefined) throw new Error("workflow_dispatch reviews need the repository checked out (actions/checkout with fetch-depth: 0)");
      return (await workflows()).reviewBetweenRefs(deps, { workspace, base, head: event.optionalString("inputs.head") || "HEAD" });
    },
  },
  {
    name: "rerun-check",
    on: ["check_run.rerequested"],
    run: async ({ deps, ownAppId }, event) =>
      (await workflows()).rerunCheck(deps, {
        repo: event.repo(),
        name: event.string("check_run.name"),
        ...optional("appId", event.optionalNumber("check_run.app.id")),
        ...optional("ownAppId", ownAppId),
        pullRequests: event.list("check_run.pull_requests").map((_, i) => event.number(`check_run.pull_requests.${i}.number`)),
      }),
  },
  {
    name: "rerun-suite",
    on: ["check_suite.rerequested"],
    run: async ({ deps, ownAppId }, event) =>
      (await workflows()).rerunCheckSuite(deps, {
        repo: event.repo(),
        ...optional("appId", event.optionalNumber("check_suite.app.id")),
        ...optional("ownAppId", ownAppId),
        pullRequests: event.list("check_suite.pull_requests").map((_, i) => event.number(`check_suite.pull_requests.${i}.number`)),
      }),
  },
  {
    name: "rerun-command",
    on: ["issue_comment.created"],
    run: async ({ deps }, event) =>
      (await workflows()).rerunFromComment(deps, {
        repo: event.repo(),
        number: event.number("issue.number"),
        onPullRequest: event.has("issue.pull_request"),
        body: event.optionalString("comment.body") ?? "",
        author: event.optionalString("comment.user.login") ?? "ghost",
        authorIsBot: event.optionalString("comment.user.type") === "Bot",
      }),
  },
];

/** Every route `host` takes. */
export function routesOf(host: HostKind, routes: readonly Route[] = ROUTES): Route[] {
  return routes.filter((route) => route.hosts === undefined || route.hosts.includes(host));
}

/** The routes `host` takes for an event (`action` from the payload, when it has one). */
export function routesFor(host: HostKind, name: string, action: string | undefined, routes: readonly Route[] = ROUTES): Route[] {
  const keys = action !== undefined ? [name, `${name}.${action}`] : [name];
  return routesOf(host, routes).filter((route) => route.on.some((key) => keys.includes(key)));
}

/** The event names (`pull_request`, ...) some route of `host` answers: anything else is ignored cheaply. */
export function handledEvents(host: HostKind, routes: readonly Route[] = ROUTES): Set<string> {
  return new Set(routesOf(host, routes).flatMap((r) => r.on.map((key) => key.split(".")[0]!)));
}

/** Why a `push` is not to the default branch (or is a deletion); undefined when it is. */
function notDefaultBranchPush(event: PayloadReader): string | undefined {
  const ref = event.string("ref");
  const defaultBranch = event.optionalString("repository.default_branch") ?? event.optionalString("repository.master_branch");
  if (defaultBranch === undefined || ref !== `refs/heads/${defaultBranch}`) return `${ref} is not the default branch`;
  if (event.optionalBoolean("deleted")) return `${ref} was deleted`;
  return undefined;
}

export function readEvent(event: RouteEvent): PayloadReader {
  return payloadReader(event.name, event.payload);
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export type { RepoRef };

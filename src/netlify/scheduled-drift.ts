// The serverless App's scheduled drift check: Netlify calls it on a schedule (no webhook is
// involved); it lists the App's installations and their repositories with the App's JWT and
// runs, for each repository, the routes of a `schedule` event, as the Action does on its own
// schedule: the drift check, which keeps one issue per environment.

import pLimit from "p-limit";
import type { ProbotOctokit } from "probot";
import { loadAppEnv, type AppEnv } from "../app/env.js";
import type { RouteOutcome } from "../host/delivery.js";
import { routesFor, type RouteEvent } from "../host/routes.js";
import { createRedactor, secretsFrom } from "../core/redact.js";
import { redactingLog } from "../host/deps.js";
import type { WorkflowLog } from "../workflows/deps.js";
import { consoleLog, oneLine, text } from "./log.js";
import { appProbot, runInstallationRoutes } from "./run-routes.js";

const REPOSITORIES_AT_ONCE = 4;

/**
 * Netlify stops a scheduled function after 30 seconds. No repository is started after this much
 * of it: the ones left are reported as not checked (the answer still reaches the log), and the
 * next hour starts from another repository, so every one is checked in turn.
 */
const START_DEADLINE_MS = 20_000;

export interface ScheduledDriftOptions {
  env: Record<string, string | undefined>;
  log?: WorkflowLog;
  /** Tests turn off Probot's retry/throttle waits with `ProbotOctokit.defaults(...)`. */
  Octokit?: typeof ProbotOctokit;
  retryAfterBaseMs?: number;
  /** The schedule Netlify ran (its `next_run` body has none): shown as the event's `schedule`. */
  schedule?: string;
  /** Milliseconds; default `Date.now`. The hour picks the first repository checked. */
  now?: () => number;
  /** No repository is started this long after the run began (default 20 s of Netlify's 30). */
  startDeadlineMs?: number;
}

export interface RepositoryRun {
  repository: string;
  installationId: number;
  outcomes: RouteOutcome[];
}

interface InstallationRepository {
  name: string;
  full_name: string;
  owner: { login: string };
  default_branch?: string;
  archived?: boolean;
}

/**
 * Answers 200 when every repository was checked, 500 naming the ones that failed (each
 * repository is checked whatever happens to the others) or a missing setting.
 */
export async function handleScheduledDrift(_req: Request, options: ScheduledDriftOptions): Promise<Response> {
  // The function's own secrets are masked in what it logs and answers, as in every workflow's log.
  const redactor = createRedactor(secretsFrom(options.env));
  const log = redactingLog(options.log ?? consoleLog, redactor);
  const answer = (status: number, message: string) => text(status, redactor.redact(message));
  // The App's three functions share one environment and are checked alike (WEBHOOK_SECRET too,
  // though this one receives no webhook): a deploy that is missing one fails them all the same way.
  const loaded = loadAppEnv(options.env);
  if (!loaded.ok) {
    log.error(loaded.error);
    return answer(500, `PromptOps is not configured: ${loaded.error}`);
  }
  let runs: RepositoryRun[];
  try {
    runs = await runScheduledDrift(loaded.value, options, log);
  } catch (error) {
    // Listing the installations failed: the App's key or GitHub, nothing per repository.
    log.error(`scheduled drift check: ${oneLine(error)}`);
    return answer(500, `scheduled drift check failed: ${oneLine(error)}`);
  }
  const failed = runs.filter((r) => r.outcomes.some((o) => o.status === "failed"));
  if (failed.length > 0) {
    const reasons = failed.map((r) => `${r.repository}: ${r.outcomes.flatMap((o) => (o.status === "failed" ? [oneLine(o.error)] : [])).join("; ")}`);
    return answer(500, `drift check failed for ${failed.length} of ${runs.length} repositories: ${reasons.join(" | ")}`);
  }
  return answer(200, `drift checked in ${runs.length} repositories`);
}

/** Every repository of every installation, in GitHub's order (the runs listed in that order). */
export async function runScheduledDrift(app: AppEnv, options: ScheduledDriftOptions, log: WorkflowLog): Promise<RepositoryRun[]> {
  const probot = appProbot(app, options.Octokit);
  const jwt = await probot.auth();
  const installations = (await jwt.paginate(jwt.rest.apps.listInstallations, { per_page: 100 })) as { id: number; suspended_at?: string | null; account?: { login?: string } | null }[];
  const runs: RepositoryRun[] = [];
  const work: { installationId: number; repository: InstallationRepository }[] = [];
  for (const installation of installations) {
    // A suspended installation's token is refused; it is not ours to check.
    if (installation.suspended_at) continue;
    let repositories: InstallationRepository[];
    try {
      const octokit = await probot.auth(installation.id);
      repositories = (await octokit.paginate(octokit.rest.apps.listReposAccessibleToInstallation, { per_page: 100 })) as unknown as InstallationRepository[];
    } catch (error) {
      // One installation GitHub will not list does not stop the others.
      const account = installation.account?.login ?? `installation ${installation.id}`;
      log.error(`cannot list the repositories of ${account}: ${oneLine(error)}`);
      runs.push({ repository: account, installationId: installation.id, outcomes: [{ route: "list repositories", status: "failed", error }] });
      continue;
    }
    for (const repository of repositories) {
      // An archived repository is read-only: no issue can be opened or closed there.
      if (!repository.archived) work.push({ installationId: installation.id, repository });
    }
  }
  // A few repositories at a time: each waits mostly on GitHub and on its services' reports, and
  // Netlify gives a scheduled function 30 seconds. Each hour starts at another repository.
  const now = options.now ?? Date.now;
  const started = now();
  const deadline = started + (options.startDeadlineMs ?? START_DEADLINE_MS);
  const first = work.length === 0 ? 0 : Math.floor(started / 3_600_000) % work.length;
  const order = [...work.keys()].map((k) => (k + first) % work.length);
  const limit = pLimit(REPOSITORIES_AT_ONCE);
  const checked: RepositoryRun[] = new Array(work.length);
  await Promise.all(
    order.map((index) =>
      limit(async (): Promise<void> => {
        const { installationId, repository } = work[index]!;
        if (now() > deadline) {
          const error = new Error("not checked: the scheduled run ran out of time (Netlify allows 30 s); the next hour starts from another repository");
          checked[index] = { repository: repository.full_name, installationId, outcomes: [{ route: "drift", status: "failed", error }] };
          return;
        }
        const event: RouteEvent = {
          name: "schedule",
          payload: {
            schedule: options.schedule ?? "netlify",
            repository: { name: repository.name, full_name: repository.full_name, owner: { login: repository.owner.login }, default_branch: repository.default_branch },
            installation: { id: installationId },
          },
        };
        const outcomes = await runInstallationRoutes(probot, installationId, event, routesFor("netlify", "schedule", undefined), {
          app,
          env: options.env,
          log,
          ...(options.Octokit ? { Octokit: options.Octokit } : {}),
          ...(options.retryAfterBaseMs !== undefined ? { retryAfterBaseMs: options.retryAfterBaseMs } : {}),
        }).catch((error: unknown): RouteOutcome[] => [{ route: "installation token", status: "failed", error }]);
        for (const o of outcomes) if (o.status === "failed") log.error(`drift check of ${repository.full_name} failed: ${oneLine(o.error)}`);
        checked[index] = { repository: repository.full_name, installationId, outcomes };
      }),
    ),
  );
  runs.push(...checked);
  return runs;
}

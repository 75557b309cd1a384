// The Action's run: inputs and the runner's environment in, the host layer's routes for the
// event, and the step's outputs, job summary, annotations and JSON report out. It decides
// nothing about prompts; everything it needs comes in through `ActionRuntime`.

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSpendCap, usd } from "../core/providers/spend-cap.js";
import { createRedactor, secretsFrom, type Redactor } from "../core/redact.js";
import { renderJson } from "../core/report/index.js";
import { folderCache } from "../cli/folder-cache.js";
import { createOctokit } from "../github/client.js";
import { GITHUB_ACTIONS_IDENTITY } from "../github/port.js";
import { handleDelivery, type Host } from "../host/delivery.js";
import { proxiedFetch } from "../net/proxy.js";
import { hostDeps, type HostSettings } from "../host/deps.js";
import { payloadReader } from "../host/payload.js";
import type { WorkflowLog } from "../workflows/deps.js";
import { actionsCacheService, afterRestore, evalCachePlan, restoreEvalCache, saveEvalCache, type CacheService } from "./eval-cache.js";
import { readOnlyFallback, type ReadOnlyWrites } from "./read-only-token.js";
import { InputError, readInputs, secretInputs, type ActionInputs } from "./inputs.js";
import { actionReport, type ActionOutputs } from "./report.js";
import { appendSummary, writeOutputs } from "./runner-files.js";
import { workflowCommands } from "./workflow-commands.js";

export interface ActionRuntime {
  /** The step's environment: GITHUB_*, RUNNER_*, INPUT_* and whatever the workflow set. */
  env: Record<string, string | undefined>;
  /** The Actions cache service (default: `@actions/cache`). */
  cache?: CacheService;
}

export interface ActionResult {
  exitCode: number;
  outputs?: ActionOutputs;
}

const core = workflowCommands();

const log: WorkflowLog = {
  info: (m) => core.info(m),
  warn: (m) => core.warning(m),
  error: (m) => core.error(m),
  debug: (m) => core.debug(m),
};

export async function run(runtime: ActionRuntime = { env: process.env }): Promise<ActionResult> {
  const { env } = runtime;
  let inputs: ActionInputs;
  try {
    inputs = readInputs(env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    core.error(error.message);
    return { exitCode: 1 };
  }
  // Masked before anything else is printed: a provider error quoting a key shows *** instead.
  const secrets = [...new Set([...secretInputs(inputs), ...secretsFrom(env)])];
  for (const secret of secrets) core.setSecret(secret);

  try {
    return await review(runtime, inputs, createRedactor(secrets));
  } catch (error) {
    core.error(error instanceof Error ? error.message : String(error));
    return { exitCode: 1 };
  }
}

async function review(runtime: ActionRuntime, inputs: ActionInputs, redactor: Redactor): Promise<ActionResult> {
  const { env } = runtime;
  const eventName = required(env, "GITHUB_EVENT_NAME");
  const payload: unknown = JSON.parse(await readFile(required(env, "GITHUB_EVENT_PATH"), "utf8"));
  const event = payloadReader(eventName, payload);
  const temp = env.RUNNER_TEMP || tmpdir();
  const serverUrl = (env.GITHUB_SERVER_URL || "https://github.com").replace(/\/+$/, "");

  const octokit = createOctokit({
    auth: inputs.githubToken,
    // GitHub Enterprise Server: the runner names its API; github.com otherwise.
    baseUrl: env.GITHUB_API_URL || "https://api.github.com",
    userAgent: "promptops-action",
    // Self-hosted runners behind a proxy: HTTPS_PROXY / NO_PROXY of the step's environment.
    env,
    logger: { warn: (m) => log.warn(m), debug: (m) => log.debug?.(m) },
  });
  const graphqlUrl = env.GITHUB_GRAPHQL_URL;
  if (graphqlUrl) {
    // Octokit derives the GraphQL endpoint from the REST one; the runner's own value wins.
    octokit.hook.before("request", (options) => {
      if (options.url === "/graphql") options.url = graphqlUrl;
    });
  }

  const cacheService = runtime.cache ?? actionsCacheService();
  const cacheDir = join(temp, "promptops-eval-cache");
  await mkdir(cacheDir, { recursive: true });
  const plan = evalCachePlan({ eventName, ref: env.GITHUB_REF, defaultBranch: event.optionalString("repository.default_branch") });
  const cacheLog = { info: log.info, warn: log.warn };
  // Restored while GitHub is read: the first model request, much later, waits for it.
  const restoring = restoreEvalCache(cacheService, plan, cacheDir, cacheLog);

  const modelFetch = proxiedFetch(env);
  const spendCap = inputs.budgetUsd !== undefined ? createSpendCap(inputs.budgetUsd) : undefined;
  const settings: HostSettings = {
    env: modelSettings(env, inputs),
    cache: afterRestore(folderCache(cacheDir), restoring),
    ...(modelFetch ? { fetch: modelFetch } : {}),
    // The workflow's own repository and secrets: its base-branch config may name endpoints.
    trustConfigEndpoints: true,
    comment: inputs.comment,
    ...(inputs.config !== undefined ? { configPath: inputs.config } : {}),
    redactor,
    // The job's token writes as GitHub Actions' app: its earlier comments are ours to edit.
    identity: GITHUB_ACTIONS_IDENTITY,
    ...(spendCap ? { spendCap } : {}),
    ...(inputs.concurrency !== undefined ? { concurrency: inputs.concurrency } : {}),
  };
  const writes: ReadOnlyWrites[] = [];
  const host: Host = {
    kind: "action",
    deps: (reads) => {
      const deps = hostDeps(octokit, settings, { log, reads });
      const github = readOnlyFallback(deps.github);
      writes.push(github);
      return { ...deps, github };
    },
    ...(env.GITHUB_WORKSPACE ? { workspace: env.GITHUB_WORKSPACE } : {}),
    rerun: Number(env.GITHUB_RUN_ATTEMPT ?? "1") > 1,
  };
  const outcomes = await handleDelivery(host, { name: eventName, payload });

  const notes: string[] = [];
  const fork = forkOf(event);
  if (fork && !inputs.openaiApiKey && !inputs.anthropicApiKey && eventName === "pull_request") {
    notes.push(
      `This pull request comes from the fork ${fork}. GitHub gives workflows run for forks no secrets and a read-only token, ` +
        "so models that need a key were not called: the prompts were linted and diffed, and the evaluation was skipped. " +
        "A maintainer can have them evaluated through `pull_request_target` and a label (see the README).",
    );
  }
  const refused = [...new Set(writes.flatMap((w) => w.refused))];
  if (refused.length > 0) {
    notes.push(
      `The job's token may only read (GitHub gives workflows run for pull requests from forks a read-only token), so ${refused.join(", ")} could not be posted: this summary is the report.`,
    );
  }
  if (spendCap?.reached) {
    notes.push(`The spending cap (budget-usd: ${usd(spendCap.limitUsd)}) was reached: ${spendCap.refused} model request(s) were not sent, so the verdict cannot be a pass.`);
  }
  const report = actionReport({ trigger: event.trigger(), outcomes, failOn: inputs.failOn, notes, repoUrl: `${serverUrl}/${env.GITHUB_REPOSITORY ?? ""}` });
  if (spendCap?.reached && report.outputs.verdict === "success") report.outputs.verdict = "neutral";

  let reportPath = "";
  if (report.review) {
    reportPath = join(temp, "promptops-report.json");
    await writeFile(reportPath, redactor.redact(renderJson(report.review)));
    for (const d of report.review.diagnostics) {
      const properties = { title: `promptops: ${d.rule}`, file: d.file, line: d.line, col: d.column };
      if (d.severity === "error") core.error(d.message, properties);
      else if (d.severity === "warning") core.warning(d.message, properties);
      else core.notice(d.message, properties);
    }
  }
  const outputs: ActionOutputs = { ...report.outputs, "report-path": reportPath };
  await writeOutputs(env.GITHUB_OUTPUT, { ...outputs });
  // Files are not masked by the runner as its log is: secrets are taken out here.
  await appendSummary(env.GITHUB_STEP_SUMMARY, redactor.redact(report.summary));
  await saveEvalCache(cacheService, plan, cacheDir, await restoring, cacheLog);

  if (report.failed) core.error(outputs.verdict === "failure" ? "PromptOps: a gate failed (fail-on: gate)." : "PromptOps: a step of the run failed; see above.");
  return { exitCode: report.failed ? 1 : 0, outputs };
}

/**
 * What the model layer may read: the workflow's environment through the host's model-key filter,
 * with the inputs in the variables the providers read. The job's token serves GitHub Models.
 */
function modelSettings(env: Record<string, string | undefined>, inputs: ActionInputs): Record<string, string | undefined> {
  return {
    ...env,
    GITHUB_TOKEN: inputs.githubToken,
    ...(inputs.openaiApiKey ? { OPENAI_API_KEY: inputs.openaiApiKey } : {}),
    ...(inputs.anthropicApiKey ? { ANTHROPIC_API_KEY: inputs.anthropicApiKey } : {}),
    ...(inputs.openaiBaseUrl ? { OPENAI_BASE_URL: inputs.openaiBaseUrl } : {}),
    ...(inputs.anthropicBaseUrl ? { ANTHROPIC_BASE_URL: inputs.anthropicBaseUrl } : {}),
  };
}

/** `owner/repo` of a pull request's head when it is another repository. */
function forkOf(event: ReturnType<typeof payloadReader>): string | undefined {
  const head = event.optionalString("pull_request.head.repo.full_name");
  const base = event.optionalString("repository.full_name");
  return head !== undefined && base !== undefined && head.toLowerCase() !== base.toLowerCase() ? head : undefined;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name];
  if (!value) throw new Error(`${name} is not set: this runs as a GitHub Action step`);
  return value;
}

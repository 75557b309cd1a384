// The Action as GitHub's runner runs it: the bundle built from the sources (as dist/index.js is)
// started with `node` in a fresh RUNNER_TEMP, the event in a file, inputs as INPUT_<NAME> with
// their hyphens kept, and GITHUB_STEP_SUMMARY / GITHUB_OUTPUT read back afterwards.

import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { buildActionBundle } from "../../scripts/build-action.js";
import { tempDir } from "../cli/git-fixture.js";

/** Writes the bundle the sources build to a temporary folder (as CommonJS, like dist/); returns its path. */
export async function bundleForRunner(): Promise<string> {
  const dir = tempDir("promptops-action-");
  writeFileSync(join(dir, "package.json"), '{ "type": "commonjs" }\n');
  const bundle = join(dir, "index.js");
  writeFileSync(bundle, await buildActionBundle());
  return bundle;
}

/** The variables a GitHub Enterprise Server runner sets for a GitHub double at `host`. */
export function enterpriseServer(host: string): Record<string, string> {
  return { GITHUB_API_URL: `http://${host}/api/v3`, GITHUB_GRAPHQL_URL: `http://${host}/api/graphql`, GITHUB_SERVER_URL: `http://${host}` };
}

export interface RunnerRun {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

export interface RunnerStep {
  eventName: string;
  payload: unknown;
  /** Inputs by their action.yml names. */
  inputs: Record<string, string>;
  /** GITHUB_REPOSITORY, GITHUB_SHA, GITHUB_REF, GITHUB_WORKSPACE, the API URLs, and anything else the step sets. */
  env: Record<string, string>;
}

export async function runStep(bundle: string, step: RunnerStep): Promise<RunnerRun> {
  const temp = tempDir("promptops-runner-");
  const eventPath = join(temp, "event.json");
  writeFileSync(eventPath, JSON.stringify(step.payload));
  const summaryPath = join(temp, "step_summary");
  const outputPath = join(temp, "output");
  writeFileSync(summaryPath, "");
  writeFileSync(outputPath, "");
  mkdirSync(join(temp, "runner-temp"));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? "",
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: step.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_STEP_SUMMARY: summaryPath,
    GITHUB_OUTPUT: outputPath,
    GITHUB_RUN_ATTEMPT: "1",
    RUNNER_TEMP: join(temp, "runner-temp"),
    ...Object.fromEntries(Object.entries(step.inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])),
    ...step.env,
  };
  const { code, stdout } = await new Promise<{ code: number; stdout: string }>((resolve) => {
    execFile(process.execPath, [bundle], { env, timeout: 30_000 }, (error, out) => {
      resolve({ code: error ? Number((error as { code?: unknown }).code ?? 1) : 0, stdout: out });
    });
  });
  return { code, stdout, summary: readFileSync(summaryPath, "utf8"), outputs: parseOutputs(readFileSync(outputPath, "utf8")) };
}

/** The runner's reading of GITHUB_OUTPUT: `name<<DELIMITER`, the value's lines, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const m = lines[i]!.match(/^([^<]+)<<(.+)$/);
    if (!m) continue;
    const end = lines.indexOf(m[2]!, i + 1);
    out[m[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return out;
}

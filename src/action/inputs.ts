// The Action's inputs, read from the environment the runner sets (`INPUT_<NAME>`, upper-cased,
// spaces as underscores, hyphens kept) and checked once: a bad value is an error naming the
// input, never a silent default.

import { CONFIG_PATH } from "../core/config/model.js";

export type FailOn = "gate" | "never";

export interface ActionInputs {
  githubToken: string;
  /** Path of the config file in the repository, when not the default. */
  config?: string;
  openaiApiKey?: string;
  anthropicApiKey?: string;
  openaiBaseUrl?: string;
  anthropicBaseUrl?: string;
  failOn: FailOn;
  comment: boolean;
  concurrency?: number;
  budgetUsd?: number;
}

export class InputError extends Error {
  override readonly name = "InputError";
}

/** The runner's name for an input's variable (what `@actions/core`'s getInput reads). */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

export function readInputs(env: Record<string, string | undefined>): ActionInputs {
  const get = (name: string): string | undefined => {
    const value = env[inputVariable(name)]?.trim();
    return value ? value : undefined;
  };
  // The token falls back to the job's own, as `github.token` is the input's default in action.yml.
  const githubToken = get("github-token") ?? env.GITHUB_TOKEN;
  if (!githubToken) throw new InputError("github-token: no token: leave the input at its default (${{ github.token }}) or pass one");
  const config = configPath(get("config"));
  const inputs: ActionInputs = { githubToken, failOn: choice(get("fail-on") ?? "gate", "fail-on", ["gate", "never"]), comment: bool(get("comment") ?? "true", "comment") };
  const optional = {
    config,
    openaiApiKey: get("openai-api-key"),
    anthropicApiKey: get("anthropic-api-key"),
    openaiBaseUrl: url(get("openai-base-url"), "openai-base-url"),
    anthropicBaseUrl: url(get("anthropic-base-url"), "anthropic-base-url"),
    concurrency: number(get("concurrency"), "concurrency", { integer: true, min: 1, max: 1000 }),
    budgetUsd: number(get("budget-usd"), "budget-usd", { min: 0 }),
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) (inputs as unknown as Record<string, unknown>)[key] = value;
  return inputs;
}

/**
 * The config's path in the repository, as git names it (`a/b.yml`): relative, inside the
 * repository, `/`-separated. It is read at the base commit, never from the checkout, so a pull
 * request cannot point the rules elsewhere. The default path is left unset (the hosts' default).
 */
function configPath(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const parts = value.replace(/\\/g, "/").split("/").filter((part) => part !== "" && part !== ".");
  if (value.startsWith("/") || /^[A-Za-z]:/.test(value) || parts.includes("..") || parts.length === 0) {
    throw new InputError(`config: "${value}" must be a path inside the repository, relative to its root (e.g. ${CONFIG_PATH})`);
  }
  const path = parts.join("/");
  return path === CONFIG_PATH ? undefined : path;
}

/** The values to mask in the job's log before anything else is printed. */
export function secretInputs(inputs: ActionInputs): string[] {
  return [inputs.githubToken, inputs.openaiApiKey, inputs.anthropicApiKey].filter((v): v is string => v !== undefined);
}

function choice<T extends string>(value: string, name: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${name}: "${value}" is not one of ${allowed.join(", ")}`);
}

/** YAML 1.2 core schema booleans, as `@actions/core`'s getBooleanInput takes them. */
function bool(value: string, name: string): boolean {
  if (["true", "True", "TRUE"].includes(value)) return true;
  if (["false", "False", "FALSE"].includes(value)) return false;
  throw new InputError(`${name}: "${value}" is not true or false`);
}

function number(value: string | undefined, name: string, range: { integer?: boolean; min: number; max?: number }): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = Number.isFinite(n) && (!range.integer || Number.isInteger(n)) && n >= range.min && (range.max === undefined || n <= range.max);
  if (ok) return n;
  const kind = range.integer ? "a whole number" : "a number";
  throw new InputError(`${name}: "${value}" is not ${kind} from ${range.min}${range.max !== undefined ? ` to ${range.max}` : " up"}`);
}

function url(value: string | undefined, name: string): string | undefined {
  if (value === undefined) return undefined;
  let protocol: string | undefined;
  try {
    protocol = new URL(value).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol === "http:" || protocol === "https:") return value;
  throw new InputError(`${name}: "${value}" is not an http(s) URL`);
}

// Environments: movable pointers (pins) from an environment to one tagged version of each
// prompt, read from `.github/prompt-environments.yml`. Versions are the tags; this is only the
// pointer file.

import type { GateConfig } from "../config/model.js";

export const ENVIRONMENTS_PATH = ".github/prompt-environments.yml";

/** Where a service reports what it runs: a URL serving the deployed report, or a file. */
export type DeployedSource = { url: string; timeoutMs?: number } | { file: string };

export interface Pin {
  promptId: string;
  version: string;
  /** 1-based line of the pin in the pins file. */
  line: number;
}

export interface Environment {
  name: string;
  pins: Pin[];
  /** A version must be pinned in this environment before it can be pinned here. */
  promoteFrom?: string;
  /** Extra required reviewers for a promotion (`@user`, `@org/team`). */
  owners: string[];
  /** Gates applied to the eval record of a promoted version (stricter than the config's). */
  gates: Partial<GateConfig>;
  deployed?: DeployedSource;
  /** 1-based line of the environment's key. */
  line: number;
}

export interface Environments {
  /** The pins file's path. */
  file: string;
  /** In file order. */
  environments: Environment[];
}

export function environmentNamed(envs: Environments, name: string): Environment | undefined {
  return envs.environments.find((e) => e.name === name);
}

export function pinOf(env: Environment | undefined, promptId: string): Pin | undefined {
  return env?.pins.find((p) => p.promptId === promptId);
}

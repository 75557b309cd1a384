// The rules of a pull request, read at its BASE commit in one batch: the config and the owners
// file, so a pull request can never loosen its own bar or pick its own owners. The review, the
// ownership sync and the tagging all read them through here.

import { configFromBlob } from "../core/config/load.js";
import { CONFIG_PATH, type PromptOpsConfig } from "../core/config/model.js";
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { FileBlob } from "../core/files.js";
import { MAX_OWNERS_FILE_BYTES } from "../core/owners/codeowners.js";
import { OWNERS_FILE_CANDIDATES, selectOwnersFile, type SelectedOwnersFile } from "../core/owners/lookup.js";
import type { GitHubPort, RepoRef } from "../github/port.js";

export interface BaseRules {
  /** Where the config was read (`.github/promptops.yml` unless the host names another file). */
  configPath: string;
  config: PromptOpsConfig;
  /** Problems in the config file itself: an error means no review runs on guessed defaults. */
  configDiagnostics: Diagnostic[];
  /** No config file on the base: defaults apply. */
  configMissing: boolean;
  ownership: OwnershipRules;
}

export interface OwnershipRules {
  config: PromptOpsConfig;
  ownersFile: SelectedOwnersFile;
  /** Config errors, owners-file syntax problems, an owners file that could not be read. */
  diagnostics: Diagnostic[];
  /**
   * Why the rules cannot be trusted (broken config, an owners file GitHub honours but PromptOps
   * could not read); the owners check must then fail rather than guess.
   */
  blocker?: string;
}

/**
 * The files the rules live in: the config, and every owners-file candidate whatever
 * `useCodeowners` says (one query for five small files beats two round trips).
 */
export function ruleFiles(configPath: string = CONFIG_PATH): string[] {
  return [configPath, ...OWNERS_FILE_CANDIDATES(true).filter((path) => path !== configPath)];
}

/** The rules at `baseSha`; `configPath` is the config's path in the repository (default `.github/promptops.yml`). */
export async function readBaseRules(github: GitHubPort, repo: RepoRef, baseSha: string, configPath: string = CONFIG_PATH): Promise<BaseRules> {
  const files = ruleFiles(configPath);
  const found = await github.readFiles(
    repo,
    files.map((path) => ({ sha: baseSha, path })),
  );
  return baseRulesFrom(new Map<string, FileBlob>(files.map((path) => [path, found.get(`${baseSha}:${path}`) ?? { kind: "missing" }])), configPath);
}

/** The rules from blobs keyed by path (a missing key is a missing file). */
export function baseRulesFrom(blobs: ReadonlyMap<string, FileBlob>, configPath: string = CONFIG_PATH): BaseRules {
  const loaded = configFromBlob(blobs.get(configPath) ?? { kind: "missing" }, configPath);
  return {
    configPath,
    config: loaded.config,
    configDiagnostics: loaded.diagnostics,
    configMissing: loaded.missing,
    ownership: ownershipRulesFrom(loaded.config, loaded.diagnostics, blobs, configPath),
  };
}

function ownershipRulesFrom(config: PromptOpsConfig, configDiagnostics: Diagnostic[], blobs: ReadonlyMap<string, FileBlob>, configPath: string): OwnershipRules {
  if (hasErrors(configDiagnostics)) {
    return {
      config,
      ownersFile: { rules: [], diagnostics: [] },
      diagnostics: configDiagnostics,
      blocker: `The base branch's ${configPath} has errors, so the ownership rules are unknown. Fix it on the base branch.`,
    };
  }

  const useCodeowners = config.ownership.useCodeowners;
  const chosen = OWNERS_FILE_CANDIDATES(useCodeowners).find((p) => (blobs.get(p) ?? { kind: "missing" }).kind !== "missing");
  const chosenBlob = chosen !== undefined ? blobs.get(chosen) : undefined;
  // GitHub honours owners files up to 3 MB, but the batched read returns at most the port's
  // limit (and GraphQL cuts text at 512,000 bytes): such a file is in force yet unread here.
  if (chosen !== undefined && chosenBlob?.kind === "too-large" && chosenBlob.size < MAX_OWNERS_FILE_BYTES) {
    const message = `${chosen} is ${chosenBlob.size} bytes: GitHub applies it, but PromptOps could not read it whole through GitHub's API (which cuts file text at 512,000 bytes). Shorten it with wildcard patterns.`;
    return {
      config,
      ownersFile: { path: chosen, rules: [], diagnostics: [] },
      diagnostics: [{ file: chosen, line: 1, column: 1, severity: "error", message, rule: "owners-file-unreadable" }],
      blocker: message,
    };
  }
  const ownersFile = selectOwnersFile(useCodeowners, blobs);
  return { config, ownersFile, diagnostics: ownersFile.diagnostics };
}

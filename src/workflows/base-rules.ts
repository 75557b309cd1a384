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

/** The files the rules live in; every owners-file candidate is read, whatever `useCodeowners` says: one query for five small files beats two round trips. */
export const RULE_FILES: readonly string[] = [CONFIG_PATH, ...OWNERS_FILE_CANDIDATES(true)];

export async function readBaseRules(github: GitHubPort, repo: RepoRef, baseSha: string): Promise<BaseRules> {
  const found = await github.readFiles(
    repo,
    RULE_FILES.map((path) => ({ sha: baseSha, path })),
  );
  return baseRulesFrom(new Map<string, FileBlob>(RULE_FILES.map((path) => [path, found.get(`${baseSha}:${path}`) ?? { kind: "missing" }])));
}

/** The rules from blobs keyed by path (a missing key is a missing file). */
export function baseRulesFrom(blobs: ReadonlyMap<string, FileBlob>): BaseRules {
  const loaded = configFromBlob(blobs.get(CONFIG_PATH) ?? { kind: "missing" }, CONFIG_PATH);
  return {
    config: loaded.config,
    configDiagnostics: loaded.diagnostics,
    configMissing: loaded.missing,
    ownership: ownershipRulesFrom(loaded.config, loaded.diagnostics, blobs),
  };
}

function ownershipRulesFrom(config: PromptOpsConfig, configDiagnostics: Diagnostic[], blobs: ReadonlyMap<string, FileBlob>): OwnershipRules {
  if (hasErrors(configDiagnostics)) {
    return {
      config,
      ownersFile: { rules: [], diagnostics: [] },
      diagnostics: configDiagnostics,
      blocker: `The base branch's ${CONFIG_PATH} has errors, so the ownership rules are unknown. Fix it on the base branch.`,
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

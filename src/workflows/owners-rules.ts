// The ownership rules of a pull request, read at its BASE commit in one batch: the config and
// the owners file, so a pull request can never loosen its own bar or pick its own owners.

import { loadConfig } from "../core/config/load.js";
import { CONFIG_PATH, type PromptOpsConfig } from "../core/config/model.js";
import { hasErrors, type Diagnostic } from "../core/diagnostics.js";
import type { FileBlob } from "../core/files.js";
import { MAX_OWNERS_FILE_BYTES } from "../core/owners/codeowners.js";
import { OWNERS_FILE_CANDIDATES, selectOwnersFile, type SelectedOwnersFile } from "../core/owners/lookup.js";
import type { GitHubPort, RepoRef } from "../github/port.js";

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

export async function readOwnershipRules(github: GitHubPort, repo: RepoRef, baseSha: string): Promise<OwnershipRules> {
  // Every candidate is read, whatever `useCodeowners` says: the config is not known yet, and
  // one query for five small files beats two round trips.
  const paths = [CONFIG_PATH, ...OWNERS_FILE_CANDIDATES(true)];
  const found = await github.readFiles(
    repo,
    paths.map((path) => ({ sha: baseSha, path })),
  );
  const blobs = new Map<string, FileBlob>(paths.map((path) => [path, found.get(`${baseSha}:${path}`) ?? { kind: "missing" }]));
  return ownershipRulesFrom(blobs);
}

/** The rules from blobs keyed by path (a missing key is a missing file). */
export function ownershipRulesFrom(blobs: ReadonlyMap<string, FileBlob>): OwnershipRules {
  const configBlob = blobs.get(CONFIG_PATH) ?? { kind: "missing" };
  const loaded =
    configBlob.kind === "text" || configBlob.kind === "missing"
      ? loadConfig(configBlob.kind === "text" ? configBlob.text : undefined, CONFIG_PATH)
      : { config: loadConfig(undefined).config, diagnostics: [unreadable(CONFIG_PATH, configBlob)] };
  const { config } = loaded;
  if (hasErrors(loaded.diagnostics)) {
    return {
      config,
      ownersFile: { rules: [], diagnostics: [] },
      diagnostics: loaded.diagnostics,
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

function unreadable(file: string, blob: FileBlob): Diagnostic {
  const why = blob.kind === "too-large" ? `is too large to read (${blob.size} bytes)` : "is not UTF-8 text";
  return { file, line: 1, column: 1, severity: "error", message: `${file} ${why}`, rule: "config-syntax" };
}

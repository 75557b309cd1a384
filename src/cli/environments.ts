// The environments of the repository at the current folder, as the `env`, `promote` and
// `drift` commands see them: the config and pins file of the working tree, the local tags,
// and each pin resolved against them.

import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { readConfig } from "../core/config/load.js";
import type { PromptOpsConfig } from "../core/config/model.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import { readEnvironments, type LoadedEnvironments } from "../core/environments/load.js";
import { resolvePins, type ResolvedPin } from "../core/environments/resolve.js";
import { readDeployedReport } from "../workflows/deployed-report.js";
import type { DeployedRead } from "../core/environments/deployed.js";
import type { DeployedSource } from "../core/environments/model.js";
import { localTags, type LocalTag } from "./commands/versions.js";
import { gitTree, repoRoot, workingTree } from "./git.js";
import { UsageError, type CliIO } from "./io.js";

export interface LocalEnvironments {
  root: string;
  config: PromptOpsConfig;
  loaded: LoadedEnvironments;
  tags: LocalTag[];
  resolved: ResolvedPin[];
}

/** Undefined after printing `file:line:col` problems of the config or the pins file. */
export async function loadLocalEnvironments(io: CliIO): Promise<LocalEnvironments | undefined> {
  const root = await repoRoot(io.cwd);
  if (root === undefined) throw new UsageError(`not a git repository: ${io.cwd}`);
  const tree = workingTree(root);
  const { config, diagnostics } = await readConfig(tree);
  const loaded = diagnostics.some((d) => d.severity === "error") ? undefined : await readEnvironments(tree, config.environments.file);
  const problems = [...diagnostics, ...(loaded?.diagnostics ?? [])];
  for (const d of problems) io.stderr(`${formatDiagnostic(d)}\n`);
  if (!loaded || problems.some((d) => d.severity === "error")) return undefined;
  if (!loaded.exists) throw new UsageError(`no environments: ${config.environments.file} does not exist`);
  const tags = await localTags(root);
  const resolved = await resolvePins(loaded.environments, { template: config.versioning.tag, tags, treeAt: (sha) => gitTree(root, sha) });
  return { root, config, loaded, tags, resolved };
}

/** A deployed report from a URL or a file (relative to the repository root). */
export function readLocalDeployed(root: string, environment: string, source: DeployedSource): Promise<DeployedRead> {
  return readDeployedReport(environment, source, {
    fetch: globalThis.fetch,
    readFile: async (path) => {
      try {
        return await readFile(resolve(root, path), "utf8");
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw e;
      }
    },
  });
}

/** `--deployed FILE|URL` as a source. */
export function deployedSourceOf(value: string): DeployedSource {
  return /^https?:\/\//i.test(value) ? { url: value } : { file: value };
}

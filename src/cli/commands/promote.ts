// `promptops promote ID --to ENV [--version V]`: moves a pin in the pins file after checking
// the version's tag (it exists, it still holds its recorded content) and `promoteFrom`. The
// file is edited in place, comments and layout kept; the change is then a pull request.

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { Command } from "commander";
import { isMap, isScalar, parseDocument, YAMLMap } from "yaml";
import { promotionProblems } from "../../core/environments/promotion.js";
import { resolvePins, taggedVersions } from "../../core/environments/resolve.js";
import { versionProblem } from "../../core/versions/bump.js";
import { loadLocalEnvironments } from "../environments.js";
import { gitTree } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("promote")
    .description("Pin a tagged prompt version in an environment (edits the pins file; default version: the newest tag)")
    .argument("<id>", "the prompt id")
    .requiredOption("--to <env>", "the environment")
    .option("--version <version>", "the version to pin (default: the newest tagged version)")
    .action(async (id: string, options: { to: string; version?: string }) => {
      const local = await loadLocalEnvironments(io);
      if (!local) {
        io.setExitCode(EXIT.error);
        return;
      }
      const { root, config, loaded, tags } = local;
      const envs = loaded.environments;
      const env = envs.environments.find((e) => e.name === options.to);
      if (!env) throw new UsageError(`no environment "${options.to}" in ${envs.file} (${envs.environments.map((e) => e.name).join(", ")})`);
      const version = options.version ?? taggedVersions(config.versioning.tag, id, tags)[0];
      if (version === undefined) throw new UsageError(`prompt "${id}" has no tagged version to promote (tag one with \`promptops tag\`, or merge its pull request)`);
      const invalid = versionProblem(version);
      if (invalid !== undefined) throw new UsageError(invalid);

      const pinned = env.pins.find((p) => p.promptId === id)?.version;
      const probe = { file: envs.file, environments: [{ ...env, pins: [{ promptId: id, version, line: 1 }] }] };
      const [resolved] = await resolvePins(probe, { template: config.versioning.tag, tags, treeAt: (sha) => gitTree(root, sha) });
      const problems = promotionProblems({ rules: envs, environment: env.name, promptId: id, version, resolved: resolved! });
      if (problems.length > 0) {
        for (const p of problems) io.stderr(`promptops: ${p.message}\n`);
        io.setExitCode(EXIT.error);
        return;
      }
      if (pinned === version) {
        io.stdout(`${env.name} already pins ${id} ${version}.\n`);
        return;
      }

      const path = join(root, envs.file);
      await writeFile(path, withPin(await readFile(path, "utf8"), env.name, id, version));
      io.stdout(`${env.name}: ${id} ${pinned ?? "(not pinned)"} -> ${version} (${resolved!.tag}, sha256 ${resolved!.sha256!.slice(0, 12)}). Commit ${envs.file} and open a pull request to promote.\n`);
    });
}

/**
 * The pins file with one pin set. An existing pin's value is replaced in the text itself, so
 * comments, quoting and flow style stay exactly as written; a new pin goes through the YAML
 * document.
 */
function withPin(text: string, environment: string, id: string, version: string): string {
  const doc = parseDocument(text);
  const pinsPath = ["environments", environment, "pins"];
  const current = doc.getIn([...pinsPath, id], true);
  if (isScalar(current) && current.range) {
    const [start, end] = current.range;
    return `${text.slice(0, start)}${version}${text.slice(end)}`;
  }
  if (!isMap(doc.getIn(pinsPath))) doc.setIn(pinsPath, new YAMLMap());
  doc.setIn([...pinsPath, id], version);
  return doc.toString();
}

// `promptops drift [--env NAME] [--deployed FILE|URL] [--json]`: compares each environment's
// pins, their tags, and what the service reports it runs. Exit 0 in sync, 1 drift, 2 error
// (a report that cannot be read is an error, never "in sync").

import { resolve } from "node:path";
import type { Command } from "commander";
import { environmentDrift, type EnvironmentDrift } from "../../core/environments/drift.js";
import { renderDriftText } from "../../core/environments/drift-report.js";
import { deployedSourceOf, loadLocalEnvironments, readLocalDeployed } from "../environments.js";
import { EXIT, UsageError, type CliIO } from "../io.js";

interface DriftOptions {
  env?: string;
  deployed?: string;
  json?: boolean;
}

export function register(program: Command, io: CliIO): void {
  program
    .command("drift")
    .description("Compare pins, tags and what each environment reports it runs (exit 0 in sync, 1 drift, 2 error)")
    .option("--env <name>", "only this environment")
    .option("--deployed <file|url>", "read this deployed report instead of the environment's `deployed` source (needs --env)")
    .option("--json", "print JSON")
    .action(async (options: DriftOptions) => {
      if (options.deployed !== undefined && options.env === undefined) throw new UsageError("--deployed needs --env <name>: a report is one environment's");
      const local = await loadLocalEnvironments(io);
      if (!local) {
        io.setExitCode(EXIT.error);
        return;
      }
      const all = local.loaded.environments.environments;
      const envs = options.env === undefined ? all : all.filter((e) => e.name === options.env);
      if (envs.length === 0) throw new UsageError(`no environment "${options.env}" in ${local.loaded.environments.file} (${all.map((e) => e.name).join(", ")})`);

      const drifts: EnvironmentDrift[] = await Promise.all(
        envs.map(async (env) => {
          const override = options.deployed !== undefined ? deployedSourceOf(options.deployed) : undefined;
          const source = override && "file" in override ? { file: resolve(io.cwd, override.file) } : (override ?? env.deployed);
          const deployed = source ? await readLocalDeployed(local.root, env.name, source) : undefined;
          return environmentDrift(env.name, local.resolved.filter((p) => p.environment === env.name), deployed);
        }),
      );
      if (options.json) io.stdout(`${JSON.stringify({ environments: drifts }, null, 2)}\n`);
      else io.stdout(renderDriftText(drifts));
      if (drifts.some((d) => d.status === "unreachable")) io.setExitCode(EXIT.error);
      else if (drifts.some((d) => d.status === "drift")) io.setExitCode(EXIT.failed);
    });
}

// `promptops env [--json]`: each environment, each pin, the tag it resolves to, the content
// hash there, and whether a newer tagged version exists.

import type { Command } from "commander";
import type { ResolvedPin } from "../../core/environments/resolve.js";
import { loadLocalEnvironments } from "../environments.js";
import { EXIT, type CliIO } from "../io.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("env")
    .description("List the environments, their pinned prompt versions and the tags they resolve to (exit 1 when a pin's tag is missing or moved)")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const local = await loadLocalEnvironments(io);
      if (!local) {
        io.setExitCode(EXIT.error);
        return;
      }
      const { loaded, resolved } = local;
      const environments = loaded.environments.environments.map((env) => ({
        name: env.name,
        ...(env.promoteFrom !== undefined && { promoteFrom: env.promoteFrom }),
        owners: env.owners,
        gates: env.gates,
        ...(env.deployed !== undefined && { deployed: env.deployed }),
        pins: resolved.filter((p) => p.environment === env.name).map(pinJson),
      }));
      if (options.json) io.stdout(`${JSON.stringify({ file: loaded.environments.file, environments }, null, 2)}\n`);
      else {
        const lines: string[] = [];
        for (const env of environments) {
          const facts = [env.promoteFrom && `promoted from ${env.promoteFrom}`, env.owners.length > 0 && `owners ${env.owners.join(", ")}`].filter(Boolean);
          lines.push(`${env.name}${facts.length > 0 ? ` (${facts.join("; ")})` : ""}`);
          if (env.pins.length === 0) lines.push("  no pins");
          for (const p of env.pins) {
            const where = p.status === "ok" ? `${p.tag}  ${p.commit!.slice(0, 12)}  ${p.path}  sha256 ${p.sha256!.slice(0, 12)}` : `${p.status}: ${p.detail}`;
            lines.push(`  ${p.promptId} ${p.version}  ${where}${p.newer ? `  (newer: ${p.newer})` : ""}`);
          }
        }
        io.stdout(`${lines.join("\n")}\n`);
      }
      if (resolved.some((p) => p.status !== "ok")) io.setExitCode(EXIT.failed);
    });
}

function pinJson(p: ResolvedPin) {
  return {
    promptId: p.promptId,
    version: p.version,
    tag: p.tag,
    status: p.status,
    commit: p.commit ?? null,
    path: p.path ?? null,
    sha256: p.sha256 ?? null,
    newer: p.newer ?? null,
    approvers: p.record?.approvers ?? [],
    ...(p.detail !== undefined && { detail: p.detail }),
  };
}

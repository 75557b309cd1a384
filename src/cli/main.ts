// The `promptops` command: parses arguments and hands each subcommand the same CliIO.

import { Command, CommanderError } from "commander";
import { createRedactor, secretsFrom } from "../core/redact.js";
import { processIO, EXIT, type CliIO } from "./io.js";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import * as demo from "./commands/demo.js";
import * as diff from "./commands/diff.js";
import * as evalCommand from "./commands/eval.js";
import * as init from "./commands/init.js";
import * as lint from "./commands/lint.js";
import * as owners from "./commands/owners.js";
import * as review from "./commands/review.js";
import * as show from "./commands/show.js";
import * as tag from "./commands/tag.js";
import * as versions from "./commands/versions.js";

/** Subcommands, each in src/cli/commands/<name>.ts exporting `register`. */
const COMMANDS = [lint, show, diff, init, evalCommand, review, demo, versions, tag, owners];

export async function main(argv: string[], raw: CliIO = processIO()): Promise<number> {
  let exitCode: number = EXIT.ok;
  // Whatever a provider echoes, the user's keys and tokens are never printed.
  const redactor = createRedactor(secretsFrom(raw.env));
  const io: CliIO = {
    ...raw,
    stdout: (text) => raw.stdout(redactor.redact(text)),
    stderr: (text) => raw.stderr(redactor.redact(text)),
  };
  const scoped: CliIO = {
    ...io,
    setExitCode(code) {
      exitCode = Math.max(exitCode, code);
    },
  };
  const program = new Command("promptops")
    .description("Review changes to LLM prompts: lint, evaluate base vs head, owners and versions.")
    .version(packageVersion(), "-V, --version", "print the PromptOps version")
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) })
    .showHelpAfterError("(run `promptops --help` for usage)");
  for (const command of COMMANDS) command.register(program, scoped);
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0.
      return error.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    io.stderr(`promptops: ${error instanceof Error ? error.message : String(error)}\n`);
    if (io.env.PROMPTOPS_DEBUG && error instanceof Error && error.stack) io.stderr(`${error.stack}\n`);
    return EXIT.error;
  }
  return exitCode;
}

/** The installed package's version; `src/cli` and `lib/cli` both sit two folders below package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}

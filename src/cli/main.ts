// The `promptops` command: parses arguments and hands each subcommand the same CliIO.

// commander itself is loaded only past the fast path: importing it costs about as much as the
// rest of `promptops --help` together.
import type { Command } from "commander";
import { createRedactor, secretsFrom } from "../core/redact.js";
import { processIO, EXIT, type CliIO } from "./io.js";
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
/** What every subcommand module exports (src/cli/commands/<name>.ts). */
interface CommandModule {
  register(program: Command, io: CliIO): void;
}

/**
 * Subcommands with the one-line summary `--help` lists. A command's module (and the engine,
 * SDKs and report writers behind it) is loaded only when that command runs or its own help is
 * asked for, so `promptops --help` loads none of them.
 */
export const COMMANDS: readonly { name: string; summary: string; load: () => Promise<CommandModule> }[] = [
  { name: "lint", summary: "Check prompt files, partials and golden sets for errors (exit 1 when there are errors)", load: () => import("./commands/lint.js") },
  { name: "show", summary: "Show a prompt file as PromptOps reads it (any format)", load: () => import("./commands/show.js") },
  { name: "diff", summary: "Show the prompts changed between two git revisions", load: () => import("./commands/diff.js") },
  { name: "init", summary: "Write a starter config, an example prompt with a golden set, and a GitHub workflow", load: () => import("./commands/init.js") },
  {
    name: "eval",
    summary: "Evaluate prompts on their golden sets as they are in the working tree (exit 0 pass, 1 gate failed, 2 error)",
    load: () => import("./commands/eval.js"),
  },
  {
    name: "review",
    summary: "Review the prompts changed between two git revisions: lint, evaluate both sides, compare, gate (exit 0 pass, 1 gate failed, 2 error)",
    load: () => import("./commands/review.js"),
  },
  { name: "demo", summary: "Run a review offline on the bundled example prompts (base vs head, recorded model answers)", load: () => import("./commands/demo.js") },
  { name: "versions", summary: "List the tagged versions of each prompt (from local git tags and their audit records)", load: () => import("./commands/versions.js") },
  {
    name: "tag",
    summary: "Create the annotated prompt version tags a merge would create, with their audit records (--dry-run: only show them)",
    load: () => import("./commands/tag.js"),
  },
  { name: "owners", summary: "Show who owns each path under PROMPTOWNERS / CODEOWNERS (GitHub's matching rules)", load: () => import("./commands/owners.js") },
  {
    name: "env",
    summary: "List the environments, their pinned prompt versions and the tags they resolve to (exit 1 when a pin's tag is missing or moved)",
    load: () => import("./commands/env.js"),
  },
  { name: "promote", summary: "Pin a tagged prompt version in an environment (edits the pins file; default version: the newest tag)", load: () => import("./commands/promote.js") },
  { name: "drift", summary: "Compare pins, tags and what each environment reports it runs (exit 0 in sync, 1 drift, 2 error)", load: () => import("./commands/drift.js") },
  { name: "audit", summary: "Export the audit log: tagged prompt versions, promotions and their approvals, and with --github drift (JSON Lines, CSV or JSON)", load: () => import("./commands/audit.js") },
];

/** The command `argv` runs (`eval ...`, `help eval`), if it names one; top-level flags come first. */
function requestedCommand(argv: readonly string[]): (typeof COMMANDS)[number] | undefined {
  const words = argv.filter((a) => !a.startsWith("-"));
  const name = words[0] === "help" ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

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
  const quick = quickAnswer(argv);
  if (quick !== undefined) {
    io.stdout(quick);
    return EXIT.ok;
  }
  const { CommanderError } = await import("commander");
  const program = await buildProgram(io, scoped, requestedCommand(argv));
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

/**
 * The program with every command listed and `requested`'s module registered (the others are
 * listed for `--help` and "did you mean" only, never run).
 */
async function buildProgram(io: CliIO, scoped: CliIO, requested: (typeof COMMANDS)[number] | undefined): Promise<Command> {
  const { Command } = await import("commander");
  const program = new Command("promptops")
    .description("Review changes to LLM prompts: lint, evaluate base vs head, owners and versions.")
    .version(packageVersion(), "-V, --version", "print the PromptOps version")
    // `promptops --version` only before a command: `promote ID --to ENV --version 1.2.0` is the command's own option.
    .enablePositionalOptions()
    .exitOverride()
    // One width on every terminal, so the help written at build time is the help commander prints.
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s), getOutHelpWidth: () => HELP_WIDTH, getErrHelpWidth: () => HELP_WIDTH })
    .showHelpAfterError("(run `promptops --help` for usage)");
  for (const command of COMMANDS) {
    if (command === requested) (await command.load()).register(program, scoped);
    else program.command(command.name).description(command.summary);
  }
  return program;
}

const HELP_WIDTH = 80;

/** The file the build writes `promptops --help` to, next to this module (absent when run from source). */
export const HELP_FILE = new URL("./help.txt", import.meta.url);

/** `promptops --help` as commander prints it: what the build writes to HELP_FILE. */
export async function topLevelHelp(): Promise<string> {
  const io = processIO();
  return (await buildProgram(io, io, undefined)).helpInformation();
}

/**
 * `promptops --version` and `promptops --help` without commander: the version from package.json,
 * the help from the text the build wrote (without it, commander answers as for any other argv).
 */
function quickAnswer(argv: readonly string[]): string | undefined {
  if (argv.length !== 1) return undefined;
  if (argv[0] === "--version" || argv[0] === "-V") return `${packageVersion()}\n`;
  if (argv[0] !== "--help" && argv[0] !== "-h") return undefined;
  try {
    return readFileSync(HELP_FILE, "utf8");
  } catch {
    return undefined;
  }
}

/** The installed package's version; `src/cli` and `lib/cli` both sit two folders below package.json. */
function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: string };
  return pkg.version ?? "unknown";
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  process.exitCode = await main(process.argv.slice(2));
}

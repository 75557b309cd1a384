// `promptops owners [--file PATH] [--json] PATH...`: who owns each path under the owners file of
// the working tree (`.github/PROMPTOWNERS`, then the CODEOWNERS locations), with GitHub's rules.

import type { Command } from "commander";
import { readFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse } from "yaml";
import { loadConfig } from "../../core/config/load.js";
import { CONFIG_PATH } from "../../core/config/model.js";
import { formatDiagnostic, sortDiagnostics } from "../../core/diagnostics.js";
import { blobFromBytes, unreadableReason, type FileBlob } from "../../core/files.js";
import { MAX_OWNERS_FILE_BYTES, ownersOf, parseOwnersFile } from "../../core/owners/codeowners.js";
import { OWNERS_FILE_CANDIDATES, selectOwnersFile, type SelectedOwnersFile } from "../../core/owners/lookup.js";
import { findProjectRoot } from "../git.js";
import { EXIT, UsageError, type CliIO } from "../io.js";
import { relativeToCwd } from "./lint.js";

export function register(program: Command, io: CliIO): void {
  program
    .command("owners")
    .description("Show who owns each path under PROMPTOWNERS / CODEOWNERS (GitHub's matching rules)")
    .argument("[paths...]", "repository paths (files or folders; they need not exist)")
    .option("--file <path>", "read this owners file instead of the repository's")
    .option("--json", 'print JSON: {"<path>": ["@owner", ...]}')
    .action(async (paths: string[], options: { file?: string; json?: boolean }) => {
      if (paths.length === 0) throw new UsageError("owners: give at least one path, e.g. `promptops owners prompts/summary.prompt.yml`");
      const root = await findProjectRoot(io.cwd);
      const owners = options.file ? await explicitOwnersFile(io.cwd, options.file) : await repositoryOwnersFile(io, root);
      if (owners === undefined) return;

      // The file's own problems: the lines are skipped, the rest still applies.
      const problems = owners.file.path !== undefined && !options.file ? relativeToCwd(io.cwd, root, owners.file.diagnostics) : owners.file.diagnostics;
      for (const d of sortDiagnostics(problems)) io.stderr(`${formatDiagnostic({ ...d, severity: "warning" })}\n`);
      if (owners.note) io.stderr(`note: ${owners.note}\n`);

      const found = new Map<string, string[]>();
      for (const path of paths) found.set(path, ownersOf(owners.file.rules, repositoryPath(io.cwd, root, path)).owners);
      if (options.json) {
        io.stdout(`${JSON.stringify(Object.fromEntries(found), null, 2)}\n`);
        return;
      }
      const width = Math.max(...paths.map((p) => p.length));
      for (const [path, list] of found) io.stdout(`${path.padEnd(width)}  ${list.length > 0 ? list.join(" ") : "(no owners)"}\n`);
    });
}

interface LoadedOwners {
  file: SelectedOwnersFile;
  note?: string;
}

async function explicitOwnersFile(cwd: string, file: string): Promise<LoadedOwners> {
  const blob = await readBlob(isAbsolute(file) ? file : resolve(cwd, file));
  switch (blob.kind) {
    case "missing":
      throw new UsageError(`no such owners file: ${file}`);
    case "binary":
      throw new UsageError(`${file} is not a UTF-8 text file`);
    case "too-large":
      throw new UsageError(`${file} is ${blob.size} bytes; GitHub ignores owners files of 3 MB or more`);
    case "outside":
      throw new UsageError(`${file} ${unreadableReason(blob)}`);
    case "text":
      return { file: { path: file, ...parseOwnersFile(file, blob.text) } };
  }
}

/**
 * The repository's owners file. `ownership.useCodeowners` decides when the config sets it;
 * when it does not, the CLI also looks at CODEOWNERS (and says the App would not).
 */
async function repositoryOwnersFile(io: CliIO, root: string): Promise<LoadedOwners | undefined> {
  const configBlob = await readBlob(join(root, CONFIG_PATH));
  const configText = configBlob.kind === "text" ? configBlob.text : undefined;
  const { config, diagnostics } = loadConfig(configText, CONFIG_PATH);
  if (diagnostics.length > 0) {
    for (const d of relativeToCwd(io.cwd, root, diagnostics)) io.stderr(`${formatDiagnostic(d)}\n`);
    io.setExitCode(EXIT.error);
    return undefined;
  }
  const explicit = configText !== undefined && setsUseCodeowners(configText);
  const useCodeowners = explicit ? config.ownership.useCodeowners : true;

  const candidates = OWNERS_FILE_CANDIDATES(useCodeowners);
  const blobs = new Map<string, FileBlob>();
  for (const path of candidates) blobs.set(path, await readBlob(join(root, path)));
  const file = selectOwnersFile(useCodeowners, blobs);
  if (file.path === undefined) return { file, note: `no owners file found (looked for ${candidates.join(", ")})` };
  if (!explicit && file.path !== OWNERS_FILE_CANDIDATES(false)[0]) {
    return { file, note: `owners from ${file.path}; the App reads CODEOWNERS only with \`ownership.useCodeowners: true\` in ${CONFIG_PATH}` };
  }
  return { file };
}

// Owners files may be up to 3 MB on GitHub, above the 1 MiB limit for prompt files.
async function readBlob(abs: string): Promise<FileBlob> {
  try {
    return blobFromBytes(await readFile(abs), MAX_OWNERS_FILE_BYTES);
  } catch {
    return { kind: "missing" };
  }
}

function setsUseCodeowners(text: string): boolean {
  try {
    const value = parse(text) as { ownership?: { useCodeowners?: unknown } } | null;
    return value?.ownership?.useCodeowners !== undefined && value.ownership.useCodeowners !== null;
  } catch {
    return false;
  }
}

/** A command-line path as the repository-relative path owners rules match. */
function repositoryPath(cwd: string, root: string, path: string): string {
  const abs = isAbsolute(path) ? path : resolve(cwd, path);
  const rel = relative(root, abs).split(sep).join("/");
  if (rel.startsWith("../") || rel === "..") throw new UsageError(`${path} is outside the repository at ${root}`);
  return rel;
}

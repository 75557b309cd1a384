// Which prompt format a path is, the id a prompt gets when it names none, and which files
// are partials (`{{> name}}` targets) rather than prompts.

import type { PromptFormat } from "./model.js";

/** Longest first, so `.prompt.yml` wins over `.prompt`... and `.prompt.md` over `.md`. */
const PROMPT_EXTENSIONS: readonly [string, PromptFormat][] = [
  [".prompt.yaml", "github"],
  [".prompt.yml", "github"],
  [".prompt.md", "markdown"],
  [".prompty", "prompty"],
  [".prompt", "dotprompt"],
];

function promptExtensionOf(path: string): [string, PromptFormat] | undefined {
  const lower = path.toLowerCase();
  return PROMPT_EXTENSIONS.find(([ext]) => lower.endsWith(ext) && lower.length > ext.length);
}

export function promptFormatOf(path: string): PromptFormat | undefined {
  return promptExtensionOf(path)?.[1];
}

/** `prompts/support/summary.prompt.yml` -> `prompts/support/summary`. */
export function defaultPromptId(path: string): string {
  const ext = promptExtensionOf(path);
  const clean = normalizePath(path);
  return ext ? clean.slice(0, clean.length - ext[0].length) : clean;
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, "/").replace(/^\.\//, "");
}

function normalizeDir(dir: string): string {
  return normalizePath(dir).replace(/\/+$/, "");
}

/** Strips a prompt extension if there is one, else the last extension (`tone.md` -> `tone`). */
function stripExtensions(fileName: string): string {
  const ext = promptExtensionOf(fileName);
  if (ext) return fileName.slice(0, fileName.length - ext[0].length);
  const dot = fileName.lastIndexOf(".");
  return dot > 0 ? fileName.slice(0, dot) : fileName;
}

/**
 * The partial name a file provides, or undefined when it is not a partial. A file inside one
 * of `partialDirs` is named by its path relative to that folder (`prompts/partials/support/_tone.md`
 * -> `support/tone`); a Dotprompt `_name.prompt` anywhere provides `name`.
 */
export function partialNameOf(path: string, partialDirs: readonly string[]): string | undefined {
  const clean = normalizePath(path);
  for (const raw of partialDirs) {
    const dir = normalizeDir(raw);
    const inside = dir === "" || dir === "." ? clean : clean.startsWith(`${dir}/`) ? clean.slice(dir.length + 1) : undefined;
    if (inside === undefined || inside === "") continue;
    const slash = inside.lastIndexOf("/");
    const folder = inside.slice(0, slash + 1);
    const name = stripExtensions(inside.slice(slash + 1)).replace(/^_/, "");
    if (name !== "") return folder + name;
  }
  const fileName = clean.slice(clean.lastIndexOf("/") + 1);
  if (fileName.startsWith("_") && promptFormatOf(fileName) === "dotprompt") {
    const name = stripExtensions(fileName).slice(1);
    if (name !== "") return name;
  }
  return undefined;
}

export function isPartialPath(path: string, partialDirs: readonly string[]): boolean {
  return partialNameOf(path, partialDirs) !== undefined;
}

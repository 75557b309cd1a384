// Prompty's `${file:path}` and `${env:NAME}` front-matter references. A file reference is read
// from the same revision as the prompt, relative to the prompt file and never outside the
// repository; its content is part of the prompt (diff, fingerprint, version rule). An
// environment reference is never resolved: its value would differ per machine and may be a secret.

import { posix } from "node:path";
import type { FileBlob, TreeReader } from "../files.js";
import { promptFormatOf } from "./formats.js";

/** A whole scalar that is a reference, as Prompty reads it (surrounding whitespace ignored). */
const REFERENCE = /^\s*\$\{(file|env):([^}]*)\}\s*$/;
/** References anywhere in a file's text: a cheap scan to know which files to read before parsing. */
const FILE_REFERENCE_IN_TEXT = /\$\{file:([^}\n]+)\}/g;

export type Reference = { kind: "file"; target: string } | { kind: "env"; name: string; fallback?: string };

/** The reference a front-matter string is, when it is one. */
export function referenceOf(value: unknown): Reference | undefined {
  if (typeof value !== "string") return undefined;
  const match = REFERENCE.exec(value);
  if (!match) return undefined;
  const body = match[2]!.trim();
  if (match[1] === "file") return { kind: "file", target: body };
  const colon = body.indexOf(":");
  return colon === -1 ? { kind: "env", name: body } : { kind: "env", name: body.slice(0, colon), fallback: body.slice(colon + 1) };
}

/** File types a reference may name: how Prompty loads them. */
export type ReferencedFileType = "json" | "yaml" | "text";

export function referencedFileType(path: string): ReferencedFileType | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith(".json")) return "json";
  if (lower.endsWith(".yaml") || lower.endsWith(".yml")) return "yaml";
  if (lower.endsWith(".txt")) return "text";
  return undefined;
}

/**
 * The repository path a `${file:target}` in `promptPath` names, or why it cannot be read:
 * absolute paths and paths leading above the repository root are refused.
 */
export function resolveReferencePath(promptPath: string, target: string): { path: string } | { error: string } {
  const written = target.replace(/\\/g, "/");
  if (written === "") return { error: "`${file:}` names no file" };
  if (written.startsWith("/") || /^[a-zA-Z]:\//.test(written)) {
    return { error: `\`\${file:${target}}\` is an absolute path: a referenced file must be in the repository, relative to the prompt file` };
  }
  const path = posix.normalize(posix.join(posix.dirname(promptPath), written));
  if (path === ".." || path.startsWith("../")) {
    return { error: `\`\${file:${target}}\` leads outside the repository: a referenced file must be in the repository` };
  }
  if (referencedFileType(path) === undefined) {
    return { error: `\`\${file:${target}}\`: only .json, .yaml, .yml and .txt files can be referenced` };
  }
  return { path };
}

/** Every readable file the `${file:}` references of a Prompty file may name (resolved, deduplicated). */
export function referencedPaths(promptPath: string, text: string): string[] {
  if (promptFormatOf(promptPath) !== "prompty" || !text.includes("${file:")) return [];
  const out = new Set<string>();
  for (const match of text.matchAll(FILE_REFERENCE_IN_TEXT)) {
    const resolved = resolveReferencePath(promptPath, match[1]!.trim());
    if ("path" in resolved) out.add(resolved.path);
  }
  return [...out];
}

/**
 * Reads, in one batch, every file the given prompt texts reference. Files the tree cannot give
 * (missing, binary, a symbolic link out of the repository) are in the result as such, so the
 * parser reports them at the reference.
 */
export async function readReferencedFiles(tree: TreeReader, prompts: Iterable<readonly [string, FileBlob]>): Promise<Map<string, FileBlob>> {
  const wanted = new Set<string>();
  for (const [path, blob] of prompts) {
    if (blob.kind === "text") for (const p of referencedPaths(path, blob.text)) wanted.add(p);
  }
  return wanted.size > 0 ? tree.read([...wanted]) : new Map();
}

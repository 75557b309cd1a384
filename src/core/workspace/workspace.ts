// Everything PromptOps knows about one revision: its prompts, partials and golden sets, read
// through a TreeReader in a constant number of batches (one list, then at most three reads:
// prompts and partials, the files Prompty `${file:}` references name, golden sets).

import picomatch from "picomatch";
import type { PromptOpsConfig } from "../config/model.js";
import type { Diagnostic } from "../diagnostics.js";
import { formatBytes, unreadableReason, type FileBlob, type TreeReader } from "../files.js";
import { parseTestData } from "../golden/inline.js";
import { goldenCandidates } from "../golden/locate.js";
import type { GoldenSet } from "../golden/model.js";
import { goldenFormatOf, parseGoldenFile, parseGoldenStream } from "../golden/parse.js";
import { partialNameOf, promptFormatOf } from "../prompts/formats.js";
import type { Prompt } from "../prompts/model.js";
import { parsePromptBlob } from "../prompts/parse.js";
import { readReferencedFiles } from "../prompts/references.js";

export interface PartialFile {
  path: string;
  text: string;
}

export interface Workspace {
  /** Parsed prompts by path (files that failed to parse are absent; their diagnostics are not). */
  prompts: Map<string, Prompt>;
  /** Partials by the name templates use in `{{> name}}`. */
  partials: Map<string, PartialFile>;
  /** Each prompt's golden set: from its golden file, else its inline testData. */
  golden: Map<string, GoldenSet>;
  /** Prompt path -> the golden file that was found for it. */
  goldenPaths: Map<string, string>;
  /** Prompt path -> the files its `${file:}` references read (Prompty); their content is part of the prompt. */
  references: Map<string, string[]>;
  /** Text of every prompt, partial and referenced file read, by path (for diffs); golden sets are kept as cases only. */
  sources: Map<string, string>;
  /** Problems found while reading: parse errors, unreadable files, bad golden rows. */
  diagnostics: Diagnostic[];
}

export interface LoadOptions {
  /** Only these prompts (files, or folders that contain them); partials are always loaded. */
  paths?: string[];
}

/** A matcher for prompt files under the config's include/exclude globs. */
export function promptMatcher(config: PromptOpsConfig): (path: string) => boolean {
  const include = picomatch(config.prompts.include, { dot: true });
  const exclude = config.prompts.exclude.length > 0 ? picomatch(config.prompts.exclude, { dot: true }) : () => false;
  return (path) =>
    include(path) && !exclude(path) && promptFormatOf(path) !== undefined && partialNameOf(path, config.prompts.partials) === undefined;
}

export function isUnder(path: string, scopes: readonly string[]): boolean {
  return scopes.some((raw) => {
    const scope = raw.replace(/\\/g, "/").replace(/^\.\//, "").replace(/\/+$/, "");
    return scope === "" || scope === "." || path === scope || path.startsWith(`${scope}/`);
  });
}

export async function loadWorkspace(tree: TreeReader, config: PromptOpsConfig, options: LoadOptions = {}): Promise<Workspace> {
  const ws: Workspace = {
    prompts: new Map(),
    partials: new Map(),
    golden: new Map(),
    goldenPaths: new Map(),
    references: new Map(),
    sources: new Map(),
    diagnostics: [],
  };
  const files = await tree.list();
  const existing = new Set(files);
  const isPrompt = promptMatcher(config);

  const promptPaths = files.filter((p) => isPrompt(p) && (options.paths === undefined || isUnder(p, options.paths)));
  const partialNames = new Map<string, string>();
  for (const p of files) {
    const name = partialNameOf(p, config.prompts.partials);
    if (name === undefined) continue;
    const earlier = partialNames.get(name);
    if (earlier !== undefined) {
      ws.diagnostics.push({
        file: p,
        line: 1,
        column: 1,
        severity: "warning",
        message: `partial "${name}" is also defined by ${earlier}; that one is used`,
        rule: "duplicate-partial",
      });
      continue;
    }
    partialNames.set(name, p);
  }

  const blobs = await tree.read([...promptPaths, ...partialNames.values()]);

  for (const [name, path] of partialNames) {
    const blob = blobs.get(path) ?? { kind: "missing" };
    if (blob.kind !== "text") {
      ws.diagnostics.push(unreadable(path, blob));
      continue;
    }
    ws.partials.set(name, { path, text: blob.text });
    ws.sources.set(path, blob.text);
  }

  const promptBlobs = promptPaths.map((path) => [path, blobs.get(path) ?? { kind: "missing" }] as const);
  const referencedBlobs = await readReferencedFiles(tree, promptBlobs);
  for (const [path, blob] of promptBlobs) {
    if (blob.kind === "text") ws.sources.set(path, blob.text);
    const { prompt, diagnostics, references } = parsePromptBlob(path, blob, { files: referencedBlobs });
    ws.diagnostics.push(...diagnostics);
    if (prompt) ws.prompts.set(path, prompt);
    if (references.length > 0) {
      ws.references.set(path, references);
      for (const file of references) {
        const read = referencedBlobs.get(file);
        if (read?.kind === "text") ws.sources.set(file, read.text);
      }
    }
  }

  // Golden files are known to exist from the listing, so only real ones are read.
  for (const [path, prompt] of ws.prompts) {
    const found = goldenCandidates(prompt, config).find((c) => existing.has(c));
    if (found !== undefined) ws.goldenPaths.set(path, found);
  }
  const goldenFiles = [...new Set(ws.goldenPaths.values())];
  // JSON Lines and CSV files are streamed where the reader can: a large set is never in memory whole.
  const streamed = new Set(tree.stream ? goldenFiles.filter((f) => goldenFormatOf(f) === "jsonl" || goldenFormatOf(f) === "csv") : []);
  const whole = goldenFiles.filter((f) => !streamed.has(f));
  const goldenBlobs = whole.length > 0 ? await tree.read(whole, { maxBytes: config.golden.maxBytes }) : new Map<string, FileBlob>();
  const parsedGolden = new Map<string, GoldenSet | undefined>();
  for (const file of goldenFiles) {
    if (streamed.has(file)) {
      const opened = await tree.stream!(file, { maxBytes: config.golden.maxBytes });
      const parsed = opened.kind === "stream" ? await parseGoldenStream(file, opened.chunks) : { unreadable: opened };
      if ("unreadable" in parsed) {
        ws.diagnostics.push(unreadableGolden(file, parsed.unreadable, config.golden.maxBytes));
        parsedGolden.set(file, undefined);
      } else {
        ws.diagnostics.push(...parsed.diagnostics);
        parsedGolden.set(file, parsed.set);
      }
      continue;
    }
    const blob = goldenBlobs.get(file) ?? { kind: "missing" };
    if (blob.kind !== "text") {
      ws.diagnostics.push(unreadableGolden(file, blob, config.golden.maxBytes));
      parsedGolden.set(file, undefined);
      continue;
    }
    // From the bytes when the reader kept them: a large JSON Lines set is never decoded whole.
    const { set, diagnostics } = parseGoldenFile(file, blob.bytes ?? blob.text);
    goldenBlobs.delete(file);
    ws.diagnostics.push(...diagnostics);
    parsedGolden.set(file, set);
  }

  for (const [path, prompt] of ws.prompts) {
    const file = ws.goldenPaths.get(path);
    if (file !== undefined) {
      const set = parsedGolden.get(file);
      if (set) ws.golden.set(path, set);
    } else if (prompt.testData.length > 0) {
      const { set, diagnostics } = parseTestData(prompt);
      ws.diagnostics.push(...diagnostics);
      ws.golden.set(path, set);
    }
  }
  return ws;
}

/** A golden file that could not be read: at the bad bytes, or with the limit and the key that raises it. */
function unreadableGolden(file: string, blob: FileBlob, maxBytes: number): Diagnostic {
  if (blob.kind === "too-large" && blob.size <= maxBytes) {
    // The reader's own cap (GitHub's API returns large file text truncated), not golden.maxBytes.
    const message = `golden set is ${formatBytes(blob.size)}, more than this host can read in one request; split it into smaller files or run the review with the CLI`;
    return { file, line: 1, column: 1, severity: "error", message, rule: "golden-too-large" };
  }
  if (blob.kind === "too-large") {
    const message = `golden set is ${formatBytes(blob.size)}, over the ${formatBytes(maxBytes)} limit; raise golden.maxBytes in .github/promptops.yml (in bytes) to read it`;
    return { file, line: 1, column: 1, severity: "error", message, rule: "golden-too-large" };
  }
  if (blob.kind === "binary" && blob.invalidUtf8) {
    const { line, column } = blob.invalidUtf8;
    return { file, line, column, severity: "error", message: "golden set is not valid UTF-8 here; save the file as UTF-8", rule: "golden-encoding" };
  }
  return unreadable(file, blob as Exclude<FileBlob, { kind: "text" }>);
}

function unreadable(file: string, blob: Exclude<FileBlob, { kind: "text" }>): Diagnostic {
  const rule = blob.kind === "outside" ? "outside-repository" : "unreadable-file";
  return { file, line: 1, column: 1, severity: "error", message: `file ${unreadableReason(blob)}`, rule };
}

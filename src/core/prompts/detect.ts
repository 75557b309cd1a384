// Which prompts a change touches: prompt files added, modified, renamed or removed, and prompts
// whose partials (transitively), referenced files (Prompty `${file:}`) or golden set changed
// even though their own file did not.

import type { PromptOpsConfig } from "../config/model.js";
import type { PromptChange } from "../eval/model.js";
import type { ChangedPath } from "../files.js";
import { goldenFormatOf } from "../golden/parse.js";
import { promptMatcher, type Workspace } from "../workspace.js";
import { defaultPromptId, partialNameOf } from "./formats.js";
import type { Prompt } from "./model.js";
import { referencedFileType } from "./references.js";
import { partialClosure } from "./render.js";

export interface ChangedPrompt {
  id: string;
  /** Path on the head (on the base for a removed prompt). */
  path: string;
  /** For renames: the path on the base. */
  previousPath?: string;
  change: PromptChange;
  base?: Prompt;
  head?: Prompt;
  /** Why the prompt is part of the change, for reports ("partial prompts/partials/tone.md modified"). */
  reasons: string[];
}

export interface ChangeSet {
  prompts: ChangedPrompt[];
}

export interface DetectInput {
  changes: readonly ChangedPath[];
  base: Workspace;
  head: Workspace;
  config: PromptOpsConfig;
}

/**
 * Changed paths that can affect a prompt: prompt files, partials, and data files that may be
 * golden sets or files a Prompty `${file:}` reference reads (both can live anywhere a prompt names).
 */
export function relevantPaths(changes: readonly ChangedPath[], config: PromptOpsConfig): string[] {
  const isPrompt = promptMatcher(config);
  const relevant = (p: string | undefined) =>
    p !== undefined &&
    (isPrompt(p) || partialNameOf(p, config.prompts.partials) !== undefined || goldenFormatOf(p) !== undefined || referencedFileType(p) !== undefined);
  const out = new Set<string>();
  for (const c of changes) {
    if (relevant(c.path)) out.add(c.path);
    if (relevant(c.previousPath)) out.add(c.previousPath!);
  }
  return [...out];
}

export function detectChanges(input: DetectInput): ChangeSet {
  const { changes, base, head, config } = input;
  const isPrompt = promptMatcher(config);
  const byPath = new Map<string, ChangedPath>();
  for (const c of changes) {
    byPath.set(c.path, c);
    if (c.previousPath !== undefined) byPath.set(c.previousPath, c);
  }

  const direct: ChangedPrompt[] = [];
  for (const c of changes) {
    const wasPrompt = c.status !== "added" && isPrompt(c.previousPath ?? c.path);
    const isPromptNow = c.status !== "removed" && isPrompt(c.path);
    const basePath = c.previousPath ?? c.path;
    if (wasPrompt && isPromptNow) {
      const b = base.prompts.get(basePath);
      const h = head.prompts.get(c.path);
      if (c.status === "renamed") {
        direct.push(entry(c.path, "renamed", b, h, [`renamed from ${basePath}`], basePath));
      } else {
        direct.push(entry(c.path, "modified", b, h, ["prompt file modified"]));
      }
    } else if (isPromptNow) {
      direct.push(entry(c.path, "added", undefined, head.prompts.get(c.path), ["prompt file added"]));
    } else if (wasPrompt) {
      direct.push(entry(basePath, "removed", base.prompts.get(basePath), undefined, ["prompt file removed"]));
    }
  }

  // A delete plus an add of the same prompt id is a move git did not see as a rename.
  for (const added of direct.filter((p) => p.change === "added" && p.head)) {
    const removed = direct.find((p) => p.change === "removed" && p.base?.id === added.head!.id);
    if (!removed) continue;
    direct.splice(direct.indexOf(removed), 1);
    Object.assign(added, {
      change: "renamed",
      base: removed.base,
      previousPath: removed.path,
      reasons: [`moved from ${removed.path}`],
    } satisfies Partial<ChangedPrompt>);
  }

  const listed = new Set(direct.map((p) => p.path));
  const result = [...direct];
  for (const [path, h] of head.prompts) {
    const prior = direct.find((p) => p.path === path);
    const b = prior ? prior.base : base.prompts.get(path);
    const reasons = dependencyReasons(path, prior?.previousPath ?? path, h, b, input, byPath);
    if (prior) prior.reasons.push(...reasons.filter((r) => !prior.reasons.includes(r)));
    else if (reasons.length > 0 && !listed.has(path)) result.push(entry(path, "dependency", b, h, reasons));
  }
  return { prompts: result.sort((a, b) => a.path.localeCompare(b.path)) };
}

function entry(path: string, change: PromptChange, base: Prompt | undefined, head: Prompt | undefined, reasons: string[], previousPath?: string): ChangedPrompt {
  const id = head?.id ?? base?.id ?? defaultPromptId(path);
  return {
    id,
    path,
    ...(previousPath !== undefined && { previousPath }),
    change,
    ...(base && { base }),
    ...(head && { head }),
    reasons,
  };
}

function dependencyReasons(
  headPath: string,
  basePath: string,
  head: Prompt,
  base: Prompt | undefined,
  { base: baseWs, head: headWs }: DetectInput,
  changed: Map<string, ChangedPath>,
): string[] {
  const reasons: string[] = [];
  const note = (kind: string, file: string | undefined) => {
    const c = file !== undefined ? changed.get(file) : undefined;
    if (!c) return;
    const reason = `${kind} ${file} ${c.status === "renamed" ? "renamed" : c.status}`;
    if (!reasons.includes(reason)) reasons.push(reason);
  };

  for (const file of partialFiles(head, headWs)) note("partial", file);
  if (base) for (const file of partialFiles(base, baseWs)) note("partial", file);
  for (const file of headWs.references.get(headPath) ?? []) note("referenced file", file);
  if (base) for (const file of baseWs.references.get(basePath) ?? []) note("referenced file", file);
  note("golden set", headWs.goldenPaths.get(headPath));
  if (base) note("golden set", baseWs.goldenPaths.get(basePath));
  return reasons;
}

/** Files of every partial the prompt pulls in, directly or through other partials. */
function partialFiles(prompt: Prompt, ws: Workspace): string[] {
  const texts = new Map([...ws.partials].map(([name, p]) => [name, p.text]));
  const files = new Set<string>();
  for (const m of prompt.messages) {
    for (const name of partialClosure(m.content, texts).used) {
      const file = ws.partials.get(name)?.path;
      if (file !== undefined) files.add(file);
    }
  }
  return [...files];
}

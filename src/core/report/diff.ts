// Diffs between the base and head version of a prompt: the whole file as a unified diff,
// each message on its own, and the model settings that changed. Used by reports and `promptops diff`.

import { createTwoFilesPatch, diffArrays, FILE_HEADERS_ONLY } from "diff";
import type { Prompt, PromptMessage, Role } from "../prompts/model.js";

/**
 * A unified diff (`--- a/path`, `+++ b/path`, hunks) of one file. `before` undefined means the
 * file was added (`/dev/null` on the left), `after` undefined that it was removed. Returns ""
 * when nothing changed.
 */
export function unifiedDiff(path: string, before: string | undefined, after: string | undefined): string {
  if (before === after) return "";
  const oldName = before === undefined ? "/dev/null" : `a/${path}`;
  const newName = after === undefined ? "/dev/null" : `b/${path}`;
  const patch = createTwoFilesPatch(oldName, newName, before ?? "", after ?? "", undefined, undefined, {
    headerOptions: FILE_HEADERS_ONLY,
  });
  // Same text after line-ending normalisation gives headers and no hunk.
  return patch.includes("\n@@") ? patch : "";
}

export type MessageChange = "added" | "removed" | "modified" | "unchanged";

export interface MessageDiff {
  /** 0-based index on the head side (base side for a removed message). */
  index: number;
  role: Role;
  change: MessageChange;
  /** Lines in the prompt files where the message starts. */
  baseLine?: number;
  headLine?: number;
  /** Unified diff of the message's template text; "" when unchanged. */
  diff: string;
}

export interface FieldChange {
  /** `model`, `version`, `parameters.temperature`, `responseFormat`, ... */
  field: string;
  /** The value as text (JSON for non-strings); undefined when absent on that side. */
  before?: string;
  after?: string;
}

export interface PromptDiff {
  messages: MessageDiff[];
  fields: FieldChange[];
}

/** JSON with sorted keys, so `{a, b}` and `{b, a}` compare equal. */
function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

function asText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? value : stableJson(value);
}

function messageLabel(side: "a" | "b", index: number, message: PromptMessage): string {
  return `${side}/messages[${index}] (${message.role})`;
}

function messageDiff(base: PromptMessage | undefined, baseIndex: number, head: PromptMessage | undefined, headIndex: number): MessageDiff {
  const before = base?.content;
  const after = head?.content;
  // Templates rarely end with a newline; without one every diff would say so.
  const text = (t: string | undefined) => (t === undefined || t === "" || t.endsWith("\n") ? (t ?? "") : `${t}\n`);
  const change: MessageChange = !base ? "added" : !head ? "removed" : before === after ? "unchanged" : "modified";
  const role = (head ?? base)!.role;
  const oldName = base ? messageLabel("a", baseIndex, base) : "/dev/null";
  const newName = head ? messageLabel("b", headIndex, head) : "/dev/null";
  const diff =
    change === "unchanged"
      ? ""
      : createTwoFilesPatch(oldName, newName, text(before), text(after), undefined, undefined, { headerOptions: FILE_HEADERS_ONLY });
  return {
    index: head ? headIndex : baseIndex,
    role,
    change,
    ...(base ? { baseLine: base.line } : {}),
    ...(head ? { headLine: head.line } : {}),
    diff: change === "modified" && !diff.includes("\n@@") ? "" : diff,
  };
}

/**
 * Pairs base and head messages: identical messages first, then, between two identical ones,
 * by role order. So an inserted few-shot pair shows as two added messages, and an edited
 * system message as one modified message.
 */
function diffMessages(base: PromptMessage[], head: PromptMessage[]): MessageDiff[] {
  const out: MessageDiff[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    let r = 0;
    let a = 0;
    const b = removed.map((i) => base[i]);
    const h = added.map((i) => head[i]);
    for (const part of diffArrays(b, h, { comparator: (x, y) => x.role === y.role })) {
      for (let n = 0; n < part.count; n += 1) {
        if (part.added) {
          out.push(messageDiff(undefined, 0, head[added[a]], added[a]));
          a += 1;
        } else if (part.removed) {
          out.push(messageDiff(base[removed[r]], removed[r], undefined, 0));
          r += 1;
        } else {
          out.push(messageDiff(base[removed[r]], removed[r], head[added[a]], added[a]));
          r += 1;
          a += 1;
        }
      }
    }
    removed = [];
    added = [];
  };
  let bi = 0;
  let hi = 0;
  const same = (x: PromptMessage, y: PromptMessage) => x.role === y.role && x.content === y.content;
  for (const part of diffArrays(base, head, { comparator: same })) {
    for (let n = 0; n < part.count; n += 1) {
      if (part.added) added.push(hi++);
      else if (part.removed) removed.push(bi++);
      else {
        flush();
        out.push(messageDiff(base[bi], bi, head[hi], hi));
        bi += 1;
        hi += 1;
      }
    }
  }
  flush();
  return out;
}

function diffFields(base: Prompt | undefined, head: Prompt | undefined): FieldChange[] {
  const pairs: [string, unknown, unknown][] = [
    ["path", base?.path, head?.path],
    ["version", base?.version, head?.version],
    ["model", base?.model, head?.model],
  ];
  const keys = new Set([...Object.keys(base?.parameters ?? {}), ...Object.keys(head?.parameters ?? {})]);
  for (const key of [...keys].sort((a, b) => a.localeCompare(b))) {
    pairs.push([`parameters.${key}`, base?.parameters[key], head?.parameters[key]]);
  }
  pairs.push(
    ["responseFormat", base?.responseFormat, head?.responseFormat],
    ["jsonSchema", base?.jsonSchema, head?.jsonSchema],
    ["tools", base?.tools, head?.tools],
    ["golden", base?.golden, head?.golden],
  );
  const changes: FieldChange[] = [];
  for (const [field, b, a] of pairs) {
    const before = asText(b);
    const after = asText(a);
    if (before === after) continue;
    changes.push({ field, ...(before !== undefined ? { before } : {}), ...(after !== undefined ? { after } : {}) });
  }
  return changes;
}

/**
 * What changed between two versions of a prompt: a diff per message and the model, version
 * and parameter changes. Either side may be missing (prompt added or removed).
 */
export function messageDiffs(base?: Prompt, head?: Prompt): PromptDiff {
  return {
    messages: diffMessages(base?.messages ?? [], head?.messages ?? []),
    fields: diffFields(base, head),
  };
}

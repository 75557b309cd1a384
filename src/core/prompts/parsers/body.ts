// Splits a template body into chat messages at role markers (Prompty `user:` lines, Markdown
// `## User` headings, Dotprompt `{{role "user"}}`), keeping each message's file line.

import type { PromptMessage, Role } from "../model.js";
import type { ParseContext } from "./context.js";
import { roleOf } from "./fields.js";

export interface RoleMarker {
  /** Offset of the marker in the body. */
  start: number;
  /** Offset just after the marker text (not its line break). */
  end: number;
  /** The role as written. */
  role: string;
}

/** File positions in a body that starts at file line `firstLine`. */
export class BodyLines {
  private readonly starts: number[] = [0];

  constructor(
    readonly body: string,
    readonly firstLine: number,
  ) {
    for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  pos(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: this.firstLine + lo, column: offset - this.starts[lo] + 1 };
  }
}

/**
 * Where a message's text begins: the rest of the marker's line if it has text, else the first
 * non-blank line after it (indentation kept).
 */
function contentStart(body: string, from: number, afterMarker: boolean): number {
  let i = from;
  if (afterMarker) {
    let j = i;
    while (body[j] === " " || body[j] === "\t") j++;
    if (j < body.length && body[j] !== "\n") return j;
    i = j < body.length ? j + 1 : j;
  }
  for (;;) {
    let j = i;
    while (body[j] === " " || body[j] === "\t" || body[j] === "\r") j++;
    if (body[j] === "\n") i = j + 1;
    else return j >= body.length ? body.length : i;
  }
}

/**
 * Messages between markers; text before the first marker gets `leadingRole`. Whitespace-only
 * messages are dropped; unknown roles are reported at the marker.
 */
export function splitMessages(
  body: string,
  firstLine: number,
  markers: readonly RoleMarker[],
  leadingRole: Role,
  ctx: ParseContext,
  mapRole: (written: string) => Role | undefined = roleOf,
): PromptMessage[] {
  const lines = new BodyLines(body, firstLine);
  const out: PromptMessage[] = [];
  const push = (role: Role | undefined, from: number, to: number, afterMarker: boolean) => {
    if (role === undefined) return;
    const start = contentStart(body, from, afterMarker);
    if (start >= to) return;
    const content = body.slice(start, to).trimEnd();
    if (content.trim() === "") return;
    out.push({ role, content, line: lines.pos(start).line });
  };
  push(leadingRole, 0, markers.length > 0 ? markers[0].start : body.length, false);
  markers.forEach((m, i) => {
    const role = mapRole(m.role);
    if (role === undefined) {
      const pos = lines.pos(m.start);
      ctx.error(pos.line, pos.column, `unknown role ${JSON.stringify(m.role)}: use system, user or assistant`, "schema");
    }
    push(role, m.end, i + 1 < markers.length ? markers[i + 1].start : body.length, true);
  });
  return out;
}

const ROLE_LINE = /^[ \t]*#?[ \t]*(system|user|assistant|developer)[ \t]*(?:\[[^\]\n]*\])?[ \t]*:[ \t]*$/i;
const ROLE_HEADING = /^[ \t]{0,3}#{1,6}[ \t]+(system|user|assistant|developer)[ \t]*:?[ \t]*#*[ \t]*$/i;
const FENCE = /^[ \t]{0,3}(`{3,}|~{3,})/;

/**
 * Prompty-style role lines (`system:` alone on a line) and, when `headings`, Markdown headings
 * (`## User`). Lines inside fenced code blocks are content, never markers.
 */
export function roleLineMarkers(body: string, headings: boolean): RoleMarker[] {
  const markers: RoleMarker[] = [];
  let fence: string | undefined;
  let offset = 0;
  for (const line of body.split("\n")) {
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const mark = fenceMatch[1];
      if (fence === undefined) fence = mark;
      else if (mark[0] === fence[0] && mark.length >= fence.length) fence = undefined;
    } else if (fence === undefined) {
      const m = ROLE_LINE.exec(line) ?? (headings ? ROLE_HEADING.exec(line) : null);
      if (m) markers.push({ start: offset, end: offset + line.length, role: m[1] });
    }
    offset += line.length + 1;
  }
  return markers;
}

// Handlebars comments render to nothing, and may contain `}}` in the `{{!-- --}}` form.
const HANDLEBARS_COMMENT = /\{\{~?!--[\s\S]*?--~?\}\}|\{\{~?![\s\S]*?\}\}/g;

/** The body with each Handlebars comment blanked (line breaks kept), so offsets and lines still match. */
export function maskHandlebarsComments(body: string): string {
  return body.replace(HANDLEBARS_COMMENT, (comment) => comment.replace(/[^\n]/g, " "));
}

// `{{role "user"}}` renders to `<<<dotprompt:role:user>>>` and `{{history}}` to
// `<<<dotprompt:history>>>`; the reference splits messages on the rendered markers, so templates
// may write them directly (google/dotprompt's Go example does). Text after the history belongs to
// the model until the next role marker, as in the reference.
const DOTPROMPT_MARKER =
  /\{\{~?\s*role\s+(?:"([^"]*)"|'([^']*)')\s*~?\}\}|<<<dotprompt:role:([a-z]+)(?: [^>]+)?>>>|\{\{~?\s*history\s*~?\}\}|<<<dotprompt:history>>>/g;

/** Dotprompt role and history markers, in either written form; markers inside comments are not markers. */
export function dotpromptRoleMarkers(body: string): RoleMarker[] {
  const markers: RoleMarker[] = [];
  for (const m of maskHandlebarsComments(body).matchAll(DOTPROMPT_MARKER)) {
    markers.push({ start: m.index, end: m.index + m[0].length, role: m[1] ?? m[2] ?? m[3] ?? "model" });
  }
  return markers;
}

const DOTPROMPT_BLOCK_ROLE = /\{\{~?\s*#\s*(role|history)\b/g;

/**
 * Offsets of `{{#role ...}}` / `{{#history}}` blocks. The reference's helpers ignore a block's
 * content, so the text inside one is never sent: a file using them is misread by its own tool.
 */
export function dotpromptBlockMarkers(body: string): { offset: number; helper: string }[] {
  return [...maskHandlebarsComments(body).matchAll(DOTPROMPT_BLOCK_ROLE)].map((m) => ({ offset: m.index, helper: m[1] }));
}

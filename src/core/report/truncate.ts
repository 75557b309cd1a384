// Fits rendered Markdown under GitHub's size limits by dropping whole sections from the end,
// so a cut never lands inside a code fence or a `<details>`, and says what was left out.

/** GitHub's limit on an issue or pull-request comment body. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit on a check run's `output.summary` and `output.text`, each. */
export const CHECK_TEXT_LIMIT = 65_535;

export interface MarkdownSection {
  markdown: string;
  /** What the section is, counted in the truncation note: `case`, `prompt`, ... */
  kind?: string;
  /** Never dropped: header, summary table, footer. */
  pinned?: boolean;
}

export interface Omitted {
  total: number;
  byKind: Record<string, number>;
}

/** Sections are separated by a blank line. */
const SEPARATOR = "\n\n";

function toSection(s: string | MarkdownSection): MarkdownSection {
  return typeof s === "string" ? { markdown: s } : s;
}

function omittedOf(sections: readonly MarkdownSection[]): Omitted {
  const byKind: Record<string, number> = {};
  for (const s of sections) {
    const kind = s.kind ?? "section";
    byKind[kind] = (byKind[kind] ?? 0) + 1;
  }
  return { total: sections.length, byKind };
}

function join(parts: readonly string[]): string {
  return parts.filter((p) => p !== "").join(SEPARATOR);
}

/**
 * Joins `sections` (blank line between them) within `limit` characters. Unpinned sections are
 * kept in order until the next one no longer fits; everything after it is dropped and
 * `note(omitted)` is put where they were (before any pinned sections that follow, such as
 * a footer). Each section should itself be balanced Markdown; if even the pinned sections do
 * not fit, the text is cut at a line and its open fence and `<details>` are closed.
 */
export function fitMarkdown(
  sections: readonly (string | MarkdownSection)[],
  limit: number,
  note: (omitted: Omitted) => string,
): string {
  const all = sections.map(toSection).filter((s) => s.markdown !== "");
  const full = join(all.map((s) => s.markdown));
  if (full.length <= limit) return full;

  const unpinned = all.filter((s) => !s.pinned);
  // Largest k such that the first k unpinned sections, all pinned ones and the note fit.
  const pinnedLength = all.filter((s) => s.pinned).reduce((n, s) => n + s.markdown.length + SEPARATOR.length, 0);
  let keptLength = 0;
  let k = 0;
  let best = -1;
  for (;;) {
    const dropped = unpinned.slice(k);
    const noteText = dropped.length > 0 ? note(omittedOf(dropped)) : "";
    const length = pinnedLength + keptLength + noteText.length + SEPARATOR.length;
    if (length <= limit) best = k;
    if (k >= unpinned.length) break;
    keptLength += unpinned[k].markdown.length + SEPARATOR.length;
    if (pinnedLength + keptLength > limit) break;
    k += 1;
  }

  if (best >= 0) {
    const keep = new Set(unpinned.slice(0, best));
    const dropped = unpinned.slice(best);
    const parts: string[] = [];
    let noted = false;
    for (const s of all) {
      if (s.pinned || keep.has(s)) {
        parts.push(s.markdown);
        continue;
      }
      // The note goes where the first dropped section was, before a pinned footer.
      if (!noted) {
        parts.push(note(omittedOf(dropped)));
        noted = true;
      }
    }
    const text = join(parts);
    if (text.length <= limit) return text;
  }
  return truncateBalanced(full, limit, note(omittedOf(unpinned)));
}

/** Where an unclosed construct is after scanning some Markdown. */
export interface MarkdownBalance {
  /** The fence (e.g. "````") of a code block still open, if any. */
  openFence?: string;
  /** `<details>` opened and not yet closed, outside code. */
  openDetails: number;
}

const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
const DETAILS_OPEN = /<details(?=[\s>])/gi;
const DETAILS_CLOSE = /<\/details\s*>/gi;

function scanLine(state: MarkdownBalance, line: string): MarkdownBalance {
  if (state.openFence) {
    const fence = state.openFence;
    const m = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
    if (m && m[1][0] === fence[0] && m[1].length >= fence.length) return { openDetails: state.openDetails };
    return state;
  }
  const m = OPEN_FENCE.exec(line);
  // A backtick fence's info string cannot contain a backtick (else it is inline code).
  if (m && !(m[1][0] === "`" && m[2].includes("`"))) return { openFence: m[1], openDetails: state.openDetails };
  const opens = line.match(DETAILS_OPEN)?.length ?? 0;
  const closes = line.match(DETAILS_CLOSE)?.length ?? 0;
  return { openDetails: Math.max(0, state.openDetails + opens - closes) };
}

/** Scans Markdown for a code fence or `<details>` left open at its end. */
export function markdownBalance(text: string): MarkdownBalance {
  let state: MarkdownBalance = { openDetails: 0 };
  for (const line of text.split("\n")) state = scanLine(state, line);
  return state;
}

function closers(state: MarkdownBalance): string {
  let s = state.openFence ? `\n${state.openFence}` : "";
  for (let i = 0; i < state.openDetails; i += 1) s += "\n\n</details>";
  return s;
}

/**
 * Last resort when whole sections cannot be dropped: keeps the longest run of whole lines
 * that fits with the closers of whatever is open there and `note`.
 */
export function truncateBalanced(text: string, limit: number, note: string): string {
  if (text.length <= limit) return text;
  const tail = note ? `${SEPARATOR}${note}` : "";
  const lines = text.split("\n");
  let state: MarkdownBalance = { openDetails: 0 };
  let length = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const next = scanLine(state, lines[i]);
    const added = (i === 0 ? 0 : 1) + lines[i].length;
    if (length + added + closers(next).length + tail.length > limit) break;
    length += added;
    state = next;
  }
  const result = `${text.slice(0, length)}${closers(state)}${tail}`;
  return result.length <= limit ? result : result.slice(0, limit);
}

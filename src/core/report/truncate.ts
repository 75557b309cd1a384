// Fits rendered Markdown under GitHub's size limits by dropping whole sections from the end,
// so a cut never lands inside a code fence or a `<details>`, and says what was left out.
// GitHub's limits are counted here in UTF-8 bytes: it refuses a check-run text of 65,535
// characters of Japanese (three bytes each) with 422, so characters are not what it measures.

/** GitHub's limit on an issue or pull-request comment body, in UTF-8 bytes. */
export const COMMENT_LIMIT = 65_536;
/** GitHub's limit on a check run's `output.summary` and `output.text`, each, in UTF-8 bytes. */
export const CHECK_TEXT_LIMIT = 65_535;

const encoder = new TextEncoder();

/** The length of `text` in UTF-8 bytes (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Length(text: string): number {
  return encoder.encode(text).byteLength;
}

/**
 * The longest prefix of `text` that is at most `maxBytes` in UTF-8, cut on a character
 * boundary (never inside a surrogate pair).
 */
export function clipUtf8(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return "";
  // A UTF-16 unit never takes more than three bytes.
  if (text.length * 3 <= maxBytes || utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const code = text.codePointAt(i)!;
    const size = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    if (bytes + size > maxBytes) break;
    bytes += size;
    i += code > 0xffff ? 2 : 1;
  }
  return text.slice(0, i);
}

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
 * Joins `sections` (blank line between them) within `limit` UTF-8 bytes. Unpinned sections are
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
  if (utf8Length(full) <= limit) return full;

  const unpinned = all.filter((s) => !s.pinned);
  // Largest k such that the first k unpinned sections, all pinned ones and the note fit.
  const pinnedLength = all.filter((s) => s.pinned).reduce((n, s) => n + utf8Length(s.markdown) + SEPARATOR.length, 0);
  let keptLength = 0;
  let k = 0;
  let best = -1;
  for (;;) {
    const dropped = unpinned.slice(k);
    const noteText = dropped.length > 0 ? note(omittedOf(dropped)) : "";
    const length = pinnedLength + keptLength + utf8Length(noteText) + SEPARATOR.length;
    if (length <= limit) best = k;
    if (k >= unpinned.length) break;
    keptLength += utf8Length(unpinned[k].markdown) + SEPARATOR.length;
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
    if (utf8Length(text) <= limit) return text;
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
  if (utf8Length(text) <= limit) return text;
  const tail = note ? `${SEPARATOR}${note}` : "";
  const tailBytes = utf8Length(tail);
  const lines = text.split("\n");
  let state: MarkdownBalance = { openDetails: 0 };
  // `chars` indexes `text`; `bytes` is the same prefix's UTF-8 length.
  let chars = 0;
  let bytes = 0;
  for (let i = 0; i < lines.length; i += 1) {
    const next = scanLine(state, lines[i]);
    const separator = i === 0 ? 0 : 1;
    const added = separator + utf8Length(lines[i]);
    if (bytes + added + utf8Length(closers(next)) + tailBytes > limit) break;
    bytes += added;
    chars += separator + lines[i].length;
    state = next;
  }
  const result = `${text.slice(0, chars)}${closers(state)}${tail}`;
  return clipUtf8(result, limit);
}

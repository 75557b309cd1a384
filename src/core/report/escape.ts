// Turns model output and user text into inert GitHub Markdown: it cannot ping people, link
// issues, inject HTML, close our `<details>` or break out of a code fence.

/** U+200D: invisible, and breaks GitHub's `@mention` / `#123` autolinking. */
const ZWJ = "\u200D";

// C0/C1 controls (except tab and newline) render as garbage or are dropped inconsistently;
// bidi overrides can make text read differently from what it is.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** `\r\n` and lone `\r` (a line ending in CommonMark) become `\n`; control characters go. */
export function normalizeText(text: string): string {
  return text.replace(/\r\n?/g, "\n").replace(CONTROL, "");
}

/** Escapes `& < > "` so text is literal inside HTML, attributes included. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/**
 * Breaks the patterns GitHub turns into notifications or cross-references: `@user`,
 * `@org/team`, `#123`, `GH-123`, and bare URLs (which would back-link other issues).
 */
export function defuseReferences(text: string): string {
  return text
    .replace(/@(?=[A-Za-z0-9])/g, `@${ZWJ}`)
    .replace(/#(?=\d)/g, `#${ZWJ}`)
    .replace(/\b(GH)-(?=\d)/gi, `$1${ZWJ}-`)
    .replace(/:\/\//g, `:${ZWJ}//`)
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}${ZWJ}.`);
}

/** Cuts `text` to at most `max` UTF-16 units, never inside a surrogate pair, ending with `…`. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 0) return "";
  let cut = max - 1;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, Math.max(0, cut))}…`;
}

export interface InlineOptions {
  /** Longest text kept (before escaping); longer text ends with `…`. */
  maxLength?: number;
}

// Every ASCII punctuation may be backslash-escaped in CommonMark; these are the ones that
// start emphasis, links, images, code, strikethrough, math, tables or escapes.
const MARKDOWN_PUNCTUATION = /[\\`*_[\]!|~$]/g;

/**
 * For table cells and running text: one line, no Markdown or HTML meaning, no pings.
 * Newlines become `<br>`, which GitHub tables accept.
 */
export function escapeInline(text: string, options: InlineOptions = {}): string {
  let s = normalizeText(text).replace(/\t/g, " ");
  if (options.maxLength !== undefined) s = truncateText(s, options.maxLength);
  s = s.replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
  // Block markers only matter at the start, but callers may put the text at a line start.
  // (`>` needs nothing: it becomes `&gt;`, and an entity never starts a block quote.)
  s = s.replace(/^(\s*)([-+=#])/, "$1\\$2").replace(/^(\s*\d+)([.)])/, "$1\\$2");
  s = s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  s = defuseReferences(s);
  return s.replace(/\n/g, "<br>");
}

/**
 * For text inside raw HTML such as `<summary>` or `<code>`, where GitHub does not apply
 * Markdown (so backslashes would show) but still links mentions.
 */
export function escapeHtmlInline(text: string, options: InlineOptions = {}): string {
  let s = normalizeText(text).replace(/[\t\n]/g, " ");
  if (options.maxLength !== undefined) s = truncateText(s, options.maxLength);
  return defuseReferences(escapeHtml(s));
}

function longestRun(text: string, char: string): number {
  let longest = 0;
  let current = 0;
  for (const c of text) {
    current = c === char ? current + 1 : 0;
    if (current > longest) longest = current;
  }
  return longest;
}

/**
 * A code span (`` `x` ``). Inside it nothing is Markdown, HTML or a mention. In a table,
 * pass `table: true` so `|` does not split the cell (GFM unescapes `\|` inside the span).
 */
export function inlineCode(text: string, options: InlineOptions & { table?: boolean } = {}): string {
  let s = normalizeText(text).replace(/[\t\n]/g, " ");
  if (options.maxLength !== undefined) s = truncateText(s, options.maxLength);
  if (s === "") return "` `";
  if (options.table) s = s.replace(/\|/g, "\\|");
  const ticks = "`".repeat(longestRun(s, "`") + 1);
  // CommonMark strips one space from each side when both are present, and a backtick at an
  // edge would merge with the fence.
  const pad = s.startsWith("`") || s.endsWith("`") || (s.startsWith(" ") && s.endsWith(" ")) ? " " : "";
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

/**
 * A fenced code block whose fence is longer than any backtick run in `text`, so no line of
 * `text` can close it. Ends with a newline.
 */
export function codeBlock(text: string, lang = ""): string {
  let body = normalizeText(text);
  if (!body.endsWith("\n")) body += "\n";
  const fence = "`".repeat(Math.max(3, longestRun(body, "`") + 1));
  const info = lang.replace(/[^\w+#.-]/g, "");
  return `${fence}${info}\n${body}${fence}\n`;
}

/** Plain text for GitHub API fields that are not Markdown (annotation messages, titles). */
export function plainText(text: string, maxLength: number): string {
  // Normalising only shortens text, so a generous prefix is enough (outputs can be megabytes).
  const prefix = text.length > maxLength * 2 + 2 ? text.slice(0, maxLength * 2 + 2) : text;
  return truncateText(normalizeText(prefix), maxLength);
}

// CODEOWNERS-syntax files (`.github/PROMPTOWNERS`, `CODEOWNERS`) -> OwnerRules, with GitHub's
// rules: gitignore-like patterns minus `!`, `[ ]` and `\#`; the last matching rule wins.

import picomatch from "picomatch";
import type { Diagnostic } from "../diagnostics.js";

export interface OwnerRule {
  /** The pattern as written. */
  pattern: string;
  /** `@user`, `@org/team` or an email address; empty when the rule leaves paths unowned. */
  owners: string[];
  /** 1-based line in the owners file. */
  line: number;
  /** True when the rule's pattern covers this repository-relative path. */
  matcher: (path: string) => boolean;
}

export interface OwnersFile {
  rules: OwnerRule[];
  diagnostics: Diagnostic[];
}

/** GitHub does not load a CODEOWNERS file of 3 MB or more ("must be under 3 MB"). */
export const MAX_OWNERS_FILE_BYTES = 3 * 1024 * 1024;

const USER = /^@[A-Za-z0-9][A-Za-z0-9_-]*$/;
const TEAM = /^@[A-Za-z0-9][A-Za-z0-9_-]*\/[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export type OwnerKind = "user" | "team" | "email";

/** What an owner token is, or undefined when GitHub would reject it. */
export function ownerKind(token: string): OwnerKind | undefined {
  if (TEAM.test(token)) return "team";
  if (USER.test(token)) return "user";
  if (EMAIL.test(token)) return "email";
  return undefined;
}

export function parseOwnersFile(path: string, text: string): OwnersFile {
  // Cheap bound first: a UTF-16 unit is at most 3 UTF-8 bytes.
  if (text.length * 3 >= MAX_OWNERS_FILE_BYTES) {
    const bytes = new TextEncoder().encode(text).byteLength;
    if (bytes >= MAX_OWNERS_FILE_BYTES) {
      return {
        rules: [],
        diagnostics: [
          {
            file: path,
            line: 1,
            column: 1,
            severity: "error",
            message: `${path} is ${bytes} bytes; GitHub ignores owners files of 3 MB or more, so no owners apply. Use wildcard patterns to shrink it.`,
            rule: "owners-file-too-large",
          },
        ],
      };
    }
  }

  const rules: OwnerRule[] = [];
  const diagnostics: Diagnostic[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    const problem = (column: number, message: string, severity: Diagnostic["severity"] = "error") =>
      diagnostics.push({ file: path, line, column, severity, message, rule: "owners-syntax" });

    const tokens = tokenize(raw);
    if (tokens.length === 0) return;
    const [first, ...rest] = tokens;
    const patternProblem = checkPattern(first.text);
    if (patternProblem) {
      problem(first.column, `${patternProblem}; this line is ignored.`);
      return;
    }
    const owners: string[] = [];
    for (const token of rest) {
      if (token.text.startsWith("#")) break;
      if (!ownerKind(token.text)) {
        problem(
          token.column,
          `"${token.text}" is not a valid owner (expected @user, @org/team or an email address); this line is ignored.`,
        );
        return;
      }
      owners.push(token.text);
    }
    if (owners.length === 0 && ownerKind(first.text)) {
      problem(first.column, `"${first.text}" is read as a path pattern with no owners; did you forget the pattern?`, "warning");
    }
    rules.push({ pattern: first.text, owners, line, matcher: compilePattern(first.text) });
  });
  return { rules, diagnostics };
}

/** The owners of `path`: the last rule that matches wins, even when it lists no owners. */
export function ownersOf(rules: readonly OwnerRule[], path: string): { owners: string[]; rule?: OwnerRule } {
  const normalized = path.replace(/^\.?\//, "");
  for (let i = rules.length - 1; i >= 0; i--) {
    const rule = rules[i];
    if (rule.matcher(normalized)) return { owners: [...rule.owners], rule };
  }
  return { owners: [] };
}

interface Token {
  text: string;
  /** 1-based. */
  column: number;
}

// Whitespace separates tokens; `\ ` keeps a space inside a pattern (as in gitignore). A token
// starting with `#` (the whole line, or after whitespace) begins a comment.
function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < raw.length) {
    while (i < raw.length && /\s/.test(raw[i])) i++;
    if (i >= raw.length) break;
    if (raw[i] === "#") break;
    const start = i;
    let text = "";
    while (i < raw.length && !/\s/.test(raw[i])) {
      if (raw[i] === "\\" && i + 1 < raw.length && raw[i + 1] === " ") {
        text += "\\ ";
        i += 2;
        continue;
      }
      text += raw[i];
      i++;
    }
    tokens.push({ text, column: start + 1 });
  }
  return tokens;
}

function checkPattern(pattern: string): string | undefined {
  if (pattern.startsWith("\\#")) {
    return `"${pattern}": escaping a leading # with \\ is not supported in owners files`;
  }
  if (pattern.startsWith("!")) return `"${pattern}": negating a pattern with ! is not supported in owners files`;
  if (/(^|[^\\])[[\]]/.test(pattern)) {
    return `"${pattern}": character ranges with [ ] are not supported in owners files`;
  }
  if (pattern.endsWith("\\")) return `"${pattern}": a pattern cannot end with \\`;
  if (/^\/+$/.test(pattern)) return `"${pattern}" matches nothing`;
  return undefined;
}

// gitignore semantics, as GitHub applies them:
// - a slash at the start or in the middle anchors the pattern to the root; otherwise it
//   matches at any depth;
// - a pattern that matches a directory owns everything under it; a trailing `/` matches
//   directories only;
// - GitHub's exception: a final lone `*` after a slash (`docs/*`, `/*`) matches direct
//   children only, not what is under them;
// - only `*`, `?`, `**` and `\x` are special; every other character is literal.
function compilePattern(pattern: string): (path: string) => boolean {
  const directoryOnly = pattern.endsWith("/");
  let body = directoryOnly ? pattern.slice(0, -1) : pattern;
  const anchored = body.includes("/");
  body = body.replace(/^\/+/, "");
  const segments = body.split("/");
  const last = segments[segments.length - 1];
  const childrenOnly = !directoryOnly && anchored && last === "*";
  // `dir/**` covers what is inside `dir`, not a file named `dir`; and `dir/**/` covers the
  // directories inside `dir` (so a file `dir/x` is not matched, `dir/x/y` is), not `dir` itself.
  if (last === "**" && segments.length > 1) body += "/*";
  const glob = (anchored ? "" : "**/") + toGlob(body);
  const isMatch = picomatch(glob, {
    dot: true,
    nobrace: true,
    noextglob: true,
    nonegate: true,
    nobracket: true,
    windows: false,
  });
  return (path: string) => {
    if (!directoryOnly && isMatch(path)) return true;
    if (childrenOnly) return false;
    // Every directory above the path: `a/b/c.txt` -> `a`, `a/b`.
    let slash = path.indexOf("/");
    while (slash !== -1) {
      if (isMatch(path.slice(0, slash))) return true;
      slash = path.indexOf("/", slash + 1);
    }
    return false;
  };
}

// picomatch gives meaning to `( ) | + @ { } !` and more; owners files do not, so those are
// escaped and only `*`, `?` and `/` reach picomatch unescaped.
function toGlob(pattern: string): string {
  let out = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === "\\" && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += /[A-Za-z0-9]/.test(next) ? next : `\\${next}`;
    } else if (c === "*" || c === "?" || c === "/" || /[A-Za-z0-9_]/.test(c) || c.charCodeAt(0) > 0x7f) {
      out += c;
    } else {
      out += `\\${c}`;
    }
  }
  return out;
}

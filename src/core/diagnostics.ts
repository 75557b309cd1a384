// Problems a user can act on: a file, a position and a message. Shown as check-run
// annotations on GitHub and as `file:line:col: severity: message [rule]` in a terminal.

export type Severity = "error" | "warning" | "notice";

export interface Diagnostic {
  file: string;
  /** 1-based; 1 when the problem concerns the whole file. */
  line: number;
  /** 1-based. */
  column: number;
  endLine?: number;
  severity: Severity;
  message: string;
  /** A short stable rule name, e.g. `yaml-syntax`, `undeclared-variable`. */
  rule: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.rule}]`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}

/** Sorts by file, then line, then column, so output is stable. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column,
  );
}

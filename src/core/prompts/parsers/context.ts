// Collects the diagnostics of one prompt file while its parser runs, so every format reports
// problems the same way (file, line, column, rule) and a parser never has to throw.

import type { Diagnostic, Severity } from "../../diagnostics.js";
import type { FileBlob } from "../../files.js";

export class ParseContext {
  readonly diagnostics: Diagnostic[] = [];
  /** Repository paths of the files the prompt's `${file:}` references read, in order. */
  readonly referenced: string[] = [];

  constructor(
    readonly file: string,
    /** Files a prompt may reference (`${file:}`), read from the same revision; absent ones are missing. */
    readonly files: ReadonlyMap<string, FileBlob> = new Map(),
  ) {}

  report(severity: Severity, line: number, column: number, message: string, rule: string): void {
    this.diagnostics.push({ file: this.file, line: Math.max(1, line), column: Math.max(1, column), severity, message, rule });
  }

  error(line: number, column: number, message: string, rule = "schema"): void {
    this.report("error", line, column, message, rule);
  }

  warning(line: number, column: number, message: string, rule = "schema"): void {
    this.report("warning", line, column, message, rule);
  }

  get failed(): boolean {
    return this.diagnostics.some((d) => d.severity === "error");
  }
}

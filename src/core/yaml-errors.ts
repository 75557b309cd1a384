// How YAML syntax errors are worded for users, the same for prompt files and golden sets.

const NESTED_TOO_DEEPLY = "the YAML is nested too deeply to read (flatten it)";

/** The parser's errors with a one-line message each; a runaway nesting is said once, where it starts. */
export function yamlErrorMessages<E extends { message: string }>(errors: readonly E[]): { error: E; message: string }[] {
  const out: { error: E; message: string }[] = [];
  let tooDeep = false;
  for (const error of errors) {
    const message = yamlErrorMessage(error.message);
    // The parser recurses per level of nesting and overflows once per level it unwinds through.
    if (message === NESTED_TOO_DEEPLY) {
      if (tooDeep) continue;
      tooDeep = true;
    }
    out.push({ error, message });
  }
  return out;
}

export function yamlErrorMessage(message: string): string {
  if (/Maximum call stack size exceeded/.test(message)) return NESTED_TOO_DEEPLY;
  return message.split("\n")[0]!.replace(/ at line \d+, column \d+:?\s*$/, "");
}

// The CLI's edges in one value, so commands can be run in-process by tests with a fake terminal.

export interface CliIO {
  cwd: string;
  env: Record<string, string | undefined>;
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is an interactive terminal (progress bars, colours). */
  isTTY: boolean;
  setExitCode(code: number): void;
}

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, failed: 1, error: 2 } as const;

export function processIO(): CliIO {
  return {
    cwd: process.cwd(),
    env: process.env,
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stderr.isTTY),
    setExitCode: (code) => {
      process.exitCode = code;
    },
  };
}

/** An error the user can act on: printed as one line, never with a stack trace. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

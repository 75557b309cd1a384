// A CliIO that records what a command prints, for in-process CLI tests.

import type { CliIO } from "../../src/cli/io.js";
// Jest's ESM loader can fail ("request for 'node:fs/promises' is not in cache") when main.ts
// imports the commands concurrently on first use; loading them here first avoids the race.
import "../../src/cli/commands/lint.js";
import "../../src/cli/commands/show.js";
import "../../src/cli/commands/diff.js";
import "../../src/cli/commands/init.js";
import "../../src/cli/commands/eval.js";
import "../../src/cli/commands/review.js";

export interface RecordedIO extends CliIO {
  out: string;
  err: string;
  codes: number[];
}

export function recordingIO(cwd: string): RecordedIO {
  const io: RecordedIO = {
    cwd,
    env: {},
    isTTY: false,
    out: "",
    err: "",
    codes: [],
    stdout: (s) => void (io.out += s),
    stderr: (s) => void (io.err += s),
    setExitCode: (c) => void io.codes.push(c),
  };
  return io;
}

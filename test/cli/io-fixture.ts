// A CliIO that records what a command prints, for in-process CLI tests.

import type { CliIO } from "../../src/cli/io.js";
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

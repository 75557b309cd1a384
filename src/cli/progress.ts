// A one-line progress bar for long evaluations in a terminal; silent when the output is
// piped or in CI logs, where carriage returns only make noise.

export interface Progress {
  onProgress(done: number, total: number): void;
  /** Ends the line; call once when the run is over. */
  done(): void;
}

const BAR_WIDTH = 30;

export function createProgress(stream: NodeJS.WriteStream): Progress {
  if (!stream.isTTY) return { onProgress() {}, done() {} };
  let shownPercent = -1;
  let drawn = false;
  return {
    onProgress(done, total) {
      if (total <= 0) return;
      const ratio = Math.min(1, done / total);
      const percent = Math.floor(ratio * 100);
      // At most ~100 redraws per run: one per request would flicker and flood slow terminals.
      if (percent === shownPercent && done !== total) return;
      shownPercent = percent;
      const filled = Math.round(ratio * BAR_WIDTH);
      const line = `[${"#".repeat(filled)}${"-".repeat(BAR_WIDTH - filled)}] ${percent}% ${done}/${total} requests`;
      stream.write(`\r${line.slice(0, Math.max(10, (stream.columns ?? 80) - 1))}`);
      drawn = true;
    },
    done() {
      if (drawn) stream.write("\n");
      drawn = false;
      shownPercent = -1;
    },
  };
}

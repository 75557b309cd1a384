import { PassThrough } from "node:stream";
import { createProgress } from "../../src/cli/progress.js";

function stream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const out = new PassThrough();
  let text = "";
  out.on("data", (chunk: Buffer) => (text += chunk.toString()));
  return Object.assign(out, { isTTY, columns: 120, text: () => text }) as unknown as NodeJS.WriteStream & { text(): string };
}

describe("createProgress", () => {
  it("draws a bar on a terminal and ends the line when done", () => {
    const tty = stream(true);
    const progress = createProgress(tty);
    progress.onProgress(1, 4);
    progress.onProgress(4, 4);
    progress.done();
    expect(tty.text()).toBe(
      `\r[########----------------------] 25% 1/4 requests\r[##############################] 100% 4/4 requests\n`,
    );
  });

  it("redraws at most once per percent", () => {
    const tty = stream(true);
    const progress = createProgress(tty);
    for (let done = 1; done <= 1000; done++) progress.onProgress(done, 1000);
    expect(tty.text().split("\r").length - 1).toBe(101);
  });

  it("prints nothing when the stream is not a terminal", () => {
    const piped = stream(false);
    const progress = createProgress(piped);
    progress.onProgress(1, 2);
    progress.done();
    expect(piped.text()).toBe("");
  });
});

// The command table: `--help` lists every command from it without loading any command module,
// so its summaries must say what each command's own help says.

import { execFileSync } from "node:child_process";
import { Command } from "commander";
import { COMMANDS, main, topLevelHelp } from "../../src/cli/main.js";
import { recordingIO } from "./io-fixture.js";

describe("promptops command table", () => {
  it.each(COMMANDS.map((c) => [c.name, c] as const))("%s: the --help summary is the command's own description", async (name, entry) => {
    const program = new Command("promptops");
    (await entry.load()).register(program, recordingIO(process.cwd()));
    const registered = program.commands.find((c) => c.name() === name);
    expect(registered?.description()).toBe(entry.summary);
  });

  it("lists every command in --help, and gives a command's full help from its own module", async () => {
    const top = recordingIO(process.cwd());
    expect(await main(["--help"], top)).toBe(0);
    for (const { name, summary } of COMMANDS) expect(top.out.replace(/\s+/g, " ")).toContain(`${name} ${summary}`);

    const one = recordingIO(process.cwd());
    expect(await main(["help", "eval"], one)).toBe(0);
    expect(one.out).toMatch(/^Usage: promptops eval \[options\] <prompts\.\.\.>/);
    expect(one.out).toContain("--concurrency");
  });

  it("prints the same --help from the built CLI (text written at build time) as commander prints from source", async () => {
    const fromSource = recordingIO(process.cwd());
    expect(await main(["--help"], fromSource)).toBe(0);
    expect(fromSource.out).toBe(await topLevelHelp());
    // bin/ runs lib/, built by `npm run build` with the help text next to it.
    for (const flag of ["--help", "-h"]) {
      expect(execFileSync(process.execPath, ["bin/promptops.js", flag], { encoding: "utf8" })).toBe(fromSource.out);
    }
    const version = recordingIO(process.cwd());
    expect(await main(["--version"], version)).toBe(0);
    expect(execFileSync(process.execPath, ["bin/promptops.js", "--version"], { encoding: "utf8" })).toBe(version.out);
  });

  it("suggests the closest command for a typo", async () => {
    const io = recordingIO(process.cwd());
    expect(await main(["evl"], io)).toBe(2);
    expect(io.err).toContain("(Did you mean eval?)");
  });
});

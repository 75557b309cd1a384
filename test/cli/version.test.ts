// `promptops --version` prints the installed package's version and exits 0.
import { readFileSync } from "node:fs";
import { main } from "../../src/cli/main.js";
import { recordingIO } from "./io-fixture.js";

describe("promptops --version", () => {
  const { version } = JSON.parse(readFileSync("package.json", "utf8")) as { version: string };

  it.each([["--version"], ["-V"]])("%s prints the package version", async (flag) => {
    const io = recordingIO(process.cwd());
    expect(await main([flag], io)).toBe(0);
    expect(io.out).toBe(`${version}\n`);
    expect(io.err).toBe("");
  });
});

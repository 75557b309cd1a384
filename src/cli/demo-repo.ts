// The demo's repository: the bundled examples as a base commit and `demo/head/` laid over them as
// a head commit, in a temporary git repository, so `promptops review` runs on a real change.

import { execFile } from "node:child_process";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The package's root folder, from src/cli (tsx) or lib/cli (built) alike. */
export const PACKAGE_ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const DEMO_REPLAY = join(PACKAGE_ROOT, "demo", "replay.json");

export interface DemoRepo {
  dir: string;
  remove(): Promise<void>;
}

async function git(dir: string, ...args: string[]): Promise<void> {
  await run("git", ["-c", "user.name=PromptOps Demo", "-c", "user.email=demo@promptops.invalid", "-c", "commit.gpgsign=false", ...args], { cwd: dir });
}

export async function createDemoRepo(): Promise<DemoRepo> {
  const dir = await mkdtemp(join(tmpdir(), "promptops-demo-"));
  try {
    await cp(join(PACKAGE_ROOT, "examples"), dir, { recursive: true });
    await git(dir, "init", "--quiet", "--initial-branch=main");
    await git(dir, "add", "--all");
    await git(dir, "commit", "--quiet", "--message", "Prompt library as on main");
    await cp(join(PACKAGE_ROOT, "demo", "head"), dir, { recursive: true });
    await git(dir, "add", "--all");
    await git(dir, "commit", "--quiet", "--message", "Clearer ticket-summary labels, a security intent, calmer tone");
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

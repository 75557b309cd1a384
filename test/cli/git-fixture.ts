// Temporary git repositories for CLI tests: write files, commit, and clean up.

import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, unlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";

export interface TempRepo {
  dir: string;
  write(files: Record<string, string | Uint8Array>): void;
  remove(...paths: string[]): void;
  git(...args: string[]): string;
  /** Stages everything and commits; returns the new commit SHA. */
  commit(message: string): string;
  cleanup(): void;
}

export function tempDir(prefix = "promptops-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function writeFiles(dir: string, files: Record<string, string | Uint8Array>): void {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
}

export function tempRepo(files: Record<string, string | Uint8Array> = {}): TempRepo {
  const dir = tempDir();
  const git = (...args: string[]) =>
    execFileSync("git", ["-c", "user.email=test@example.com", "-c", "user.name=Test", "-c", "commit.gpgsign=false", ...args], {
      cwd: dir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
  git("init", "-q", "-b", "main");
  writeFiles(dir, files);
  return {
    dir,
    write: (f) => writeFiles(dir, f),
    remove: (...paths) => paths.forEach((p) => unlinkSync(join(dir, p))),
    git,
    commit(message) {
      git("add", "-A");
      git("commit", "-q", "--allow-empty", "-m", message);
      return git("rev-parse", "HEAD").trim();
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

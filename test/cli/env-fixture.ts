// Prompt files and repositories for the environment tests: echo-model prompts (offline), tags
// made by PromptOps' own `promptops tag`, and a pins file.

import { main } from "../../src/cli/main.js";
import type { TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

/** A prompt on the offline echo model; its golden cases pass when the output contains the word. */
export function echoPrompt(id: string, version: string, user: string): string {
  return [
    "name: Test prompt",
    "model: echo",
    "messages:",
    "  - role: user",
    `    content: ${JSON.stringify(user)}`,
    "evaluators:",
    "  - name: says-word",
    "    string:",
    "      contains: \"{{expected}}\"",
    "promptops:",
    `  id: ${JSON.stringify(id)}`,
    `  version: ${version}`,
    "  variables:",
    "    word: { type: string, required: true }",
    "",
  ].join("\n");
}

export const GOLDEN = ['{"id": "a", "vars": {"word": "alpha"}, "expected": "alpha"}', '{"id": "b", "vars": {"word": "beta"}, "expected": "beta"}', ""].join("\n");

/** The identity `git tag -a` and `git commit` need, set in the repository itself. */
export function identify(repo: TempRepo): void {
  repo.git("config", "user.email", "test@example.com");
  repo.git("config", "user.name", "Test");
  repo.git("config", "tag.gpgSign", "false");
  repo.git("config", "commit.gpgSign", "false");
}

/** Runs `promptops tag` for the last commit, approved by `approver`; fails the test when nothing was tagged. */
export async function tagHead(repo: TempRepo, approver = "carol"): Promise<void> {
  const io = recordingIO(repo.dir);
  const code = await main(["tag", "--base", "HEAD~1", "--approved-by", approver, "--no-cache"], io);
  if (code !== 0 || !io.out.includes("Tagged:")) throw new Error(`promptops tag did not tag: ${io.out}${io.err}`);
}

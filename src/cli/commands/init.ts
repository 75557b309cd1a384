// `promptops init [dir]`: a starter config, an example prompt with its golden set and a
// workflow running PromptOps on pull requests. Existing files are never overwritten.

import type { Command } from "commander";
import { appendFile, mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { DEFAULT_CONFIG } from "../../core/config/model.js";
import type { CliIO } from "../io.js";

const list = (items: readonly string[]) => `[${items.map((i) => JSON.stringify(i)).join(", ")}]`;

const CONFIG = `# PromptOps: reviews pull requests that change prompts.
# Every key is optional; the values below are the defaults unless marked "example".
# The rules of the base branch apply to a pull request, so a PR cannot loosen its own bar.

prompts:
  # Prompt files: GitHub Models .prompt.yml, Dotprompt .prompt, Prompty .prompty, .prompt.md
  include: ${list(DEFAULT_CONFIG.prompts.include)}
  exclude: ${list(DEFAULT_CONFIG.prompts.exclude)}
  # Folders holding {{> partial}} templates
  partials: ${list(DEFAULT_CONFIG.prompts.partials)}

golden:
  # Where a prompt's golden set is found when it names none ({dir}: its folder, {name}: its name)
  patterns: ${list(DEFAULT_CONFIG.golden.patterns.slice(0, 2))}

providers:
  # defaultModel: openai/gpt-4o-mini   # example: used when a prompt names no model
  concurrency: ${DEFAULT_CONFIG.providers.concurrency}
  repeats: ${DEFAULT_CONFIG.providers.repeats}

gates:
  # minScore: 0.8                      # example: the head's mean score must reach this
  minPassRate: 0.8                     # share of golden cases that must pass: a prompt failing its cases fails
  maxRegression: ${DEFAULT_CONFIG.gates.maxRegression}                 # the head may score at most this much below the base
  requireGolden: ${DEFAULT_CONFIG.gates.requireGolden}                 # a changed prompt must have a golden set
  ignoreNoise: ${DEFAULT_CONFIG.gates.ignoreNoise}                    # judge a drop by its interval, not its point estimate
  onInconclusive: ${DEFAULT_CONFIG.gates.onInconclusive}              # pass | neutral | fail when a drop is neither shown nor ruled out

ownership:
  # defaultOwners: ["@your-org/prompt-owners"]   # example: when .github/PROMPTOWNERS has no rule
  requestReviews: ${DEFAULT_CONFIG.ownership.requestReviews}

versioning:
  requireBump: ${DEFAULT_CONFIG.versioning.requireBump}                   # a content change needs a higher promptops.version
  tag: "${DEFAULT_CONFIG.versioning.tag}"     # tag created for each approved version on merge
`;

const PROMPT = `# A GitHub Models prompt file: \`gh models eval prompts/example.prompt.yml\` runs it too.
name: Ticket triage
description: Names the topic of a customer support ticket.
model: openai/gpt-4o-mini
modelParameters:
  temperature: 0
promptops:
  id: example/ticket-triage
  version: 1.0.0
  golden: example.golden.jsonl
  variables:
    ticket: { type: string, required: true, description: The ticket text }
messages:
  - role: system
    content: |
      You triage customer support tickets. Answer with one word: refund, login, bug or other.
  - role: user
    content: |
      Ticket:
      {{ticket}}
evaluators:
  - name: names the expected topic
    string:
      contains: "{{expected}}"
`;

const GOLDEN = [
  { id: "double-charge", ticket: "I was charged twice for my subscription this month. Please give one payment back.", expected: "refund" },
  { id: "password", ticket: "Since the last update I cannot sign in; it says my password is wrong.", expected: "login" },
  { id: "crash", ticket: "The app closes as soon as I open the settings page.", expected: "bug" },
]
  .map((row) => JSON.stringify(row))
  .join("\n");

/** How workflows name the Action (the README's "Use it as an Action"). */
export const ACTION_REF = "promptops/promptops@v1";

const WORKFLOW = `name: PromptOps

# Reviews the prompts a pull request changes (the promptops/eval check run, a sticky comment and
# the job summary), asks the prompts' owners for a review (the promptops/owners check) and tags
# approved prompt versions when they reach the default branch.
on:
  pull_request:
    types: [opened, synchronize, reopened, ready_for_review]
  pull_request_review:
    types: [submitted, dismissed]
  push:
    branches: [main] # your default branch: approved versions are tagged when they land there

permissions:
  contents: write # tags on the default branch
  checks: write # promptops/eval and promptops/owners
  pull-requests: write # the sticky comment and review requests
  models: read # github/... models through the job's GITHUB_TOKEN

# One review per pull request at a time: a new push cancels the review of the previous one.
concurrency:
  group: promptops-\${{ github.event_name }}-\${{ github.event.pull_request.number || github.ref }}
  cancel-in-progress: \${{ github.event_name == 'pull_request' }}

jobs:
  promptops:
    runs-on: ubuntu-latest
    steps:
      # Pull requests are read through the API, as data. On the default branch the Action also
      # evaluates what landed, so later pull requests find their base side in the eval cache.
      - uses: actions/checkout@v4
        if: github.event_name == 'push'
        with:
          fetch-depth: 2
      - uses: ${ACTION_REF}
        with:
          openai-api-key: \${{ secrets.OPENAI_API_KEY }}
`;

/** The files `init` writes, by path relative to the target folder. */
export const STARTER_FILES: Readonly<Record<string, string>> = {
  ".github/promptops.yml": CONFIG,
  "prompts/example.prompt.yml": PROMPT,
  "prompts/example.golden.jsonl": `${GOLDEN}\n`,
  ".github/workflows/promptops.yml": WORKFLOW,
};

export function register(program: Command, io: CliIO): void {
  program
    .command("init")
    .description("Write a starter config, an example prompt with a golden set, and a GitHub workflow")
    .argument("[dir]", "the folder to set up (default: the current folder)")
    .action(async (dir: string | undefined) => {
      const target = resolve(io.cwd, dir ?? ".");
      for (const [path, text] of Object.entries(STARTER_FILES)) {
        const full = join(target, path);
        await mkdir(dirname(full), { recursive: true });
        try {
          await writeFile(full, text, { flag: "wx" });
          io.stdout(`wrote   ${path}\n`);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
          io.stdout(`skipped ${path} (already exists)\n`);
        }
      }
      await ignoreCache(target, io);
      io.stdout("\nNext: `promptops lint` to check the prompts, then add OPENAI_API_KEY to the repository's secrets.\n");
    });
}

/** The response cache (`.promptops/`) is local state: `init` adds it to `.gitignore` once. */
async function ignoreCache(target: string, io: CliIO): Promise<void> {
  const path = join(target, ".gitignore");
  let text = "";
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (text.split(/\r?\n/).some((line) => /^\/?\.promptops\/?$/.test(line.trim()))) {
    io.stdout("skipped .gitignore (already ignores .promptops/)\n");
    return;
  }
  await appendFile(path, `${text === "" || text.endsWith("\n") ? "" : "\n"}.promptops/\n`);
  io.stdout(`${text === "" ? "wrote  " : "updated"} .gitignore (.promptops/)\n`);
}

import { readFileSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ACTION_REF } from "../../src/cli/commands/init.js";
import { main } from "../../src/cli/main.js";
import { loadConfig } from "../../src/core/config/load.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

describe("promptops init", () => {
  let repo: TempRepo;
  beforeEach(() => (repo = tempRepo()));
  afterEach(() => repo.cleanup());

  it("writes a valid config, an example prompt that lints clean, its golden set and a workflow", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["init"], io)).toBe(0);
    expect(io.out).toContain("wrote   .github/promptops.yml\n");
    expect(io.out).toContain("wrote   .github/workflows/promptops.yml\n");

    const config = readFileSync(join(repo.dir, ".github/promptops.yml"), "utf8");
    expect(loadConfig(config).diagnostics).toEqual([]);

    const workflow = parseDocument(readFileSync(join(repo.dir, ".github/workflows/promptops.yml"), "utf8")).toJS();
    expect(Object.keys(workflow.on)).toEqual(["pull_request", "pull_request_review", "push"]);
    // What the Action writes with the job's token: check runs, the comment and review requests, tags; and GitHub Models.
    expect(workflow.permissions).toEqual({ contents: "write", checks: "write", "pull-requests": "write", models: "read" });
    expect(workflow.concurrency.group).toBe("promptops-${{ github.event_name }}-${{ github.event.pull_request.number || github.ref }}");
    const steps = workflow.jobs.promptops.steps as { uses?: string; with?: Record<string, unknown>; run?: string }[];
    // The Action by the name the README gives, never a package fetched by name at run time.
    expect(steps).toEqual([
      // Only what landed on the default branch is checked out (never a pull request's head).
      { uses: "actions/checkout@v4", if: "github.event_name == 'push'", with: { "fetch-depth": 2 } },
      { uses: ACTION_REF, with: { "openai-api-key": "${{ secrets.OPENAI_API_KEY }}" } },
    ]);
    expect(ACTION_REF).toBe("promptops/promptops@v1");
    expect(readFileSync(new URL("../../README.md", import.meta.url), "utf8")).toContain(`uses: ${ACTION_REF}`);

    const lint = recordingIO(repo.dir);
    expect(await main(["lint"], lint)).toBe(0);
    expect(lint.out).toBe("");
    expect(lint.err).toBe("1 prompt checked: 0 errors, 0 warnings\n");

    const show = recordingIO(repo.dir);
    expect(await main(["show", "prompts/example.prompt.yml", "--json"], show)).toBe(0);
    expect(JSON.parse(show.out)).toMatchObject({ id: "example/ticket-triage", testCases: 3, variables: ["ticket"] });
  });

  it("never overwrites an existing file and says which it skipped", async () => {
    repo.write({ "prompts/example.prompt.yml": "mine\n" });
    const io = recordingIO(repo.dir);
    expect(await main(["init"], io)).toBe(0);
    expect(io.out).toContain("skipped prompts/example.prompt.yml (already exists)\n");
    expect(readFileSync(join(repo.dir, "prompts/example.prompt.yml"), "utf8")).toBe("mine\n");
    expect(existsSync(join(repo.dir, "prompts/example.golden.jsonl"))).toBe(true);
  });

  it("adds .promptops/ to .gitignore once, keeping what is there", async () => {
    repo.write({ ".gitignore": "node_modules/" });
    expect(await main(["init"], recordingIO(repo.dir))).toBe(0);
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("node_modules/\n.promptops/\n");
    const again = recordingIO(repo.dir);
    expect(await main(["init"], again)).toBe(0);
    expect(again.out).toContain("skipped .gitignore (already ignores .promptops/)\n");
    expect(readFileSync(join(repo.dir, ".gitignore"), "utf8")).toBe("node_modules/\n.promptops/\n");
  });

  it("its gates fail a prompt that fails its cases; without gates, eval says so instead of claiming a pass", async () => {
    expect(await main(["init"], recordingIO(repo.dir))).toBe(0);
    // The echo model repeats the ticket, which never names the expected topic: every case fails.
    const promptPath = join(repo.dir, "prompts/example.prompt.yml");
    writeFileSync(promptPath, readFileSync(promptPath, "utf8").replace("model: openai/gpt-4o-mini", "model: echo"));
    const gated = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/example.prompt.yml", "--no-cache"], gated)).toBe(1);
    expect(gated.out).toContain("minPassRate");

    const configPath = join(repo.dir, ".github/promptops.yml");
    writeFileSync(configPath, readFileSync(configPath, "utf8").replace(/^  minPassRate:.*\n/m, ""));
    const ungated = recordingIO(repo.dir);
    expect(await main(["eval", "prompts/example.prompt.yml", "--no-cache"], ungated)).toBe(0);
    expect(ungated.out).toContain("no gates configured");
    expect(ungated.out).not.toContain("all gates passed");
    expect(ungated.out).toContain("## ⚪ PromptOps:");
    expect(ungated.out).not.toContain("✅");
  });

  it("sets up another folder when given one", async () => {
    const io = recordingIO(repo.dir);
    expect(await main(["init", "sub"], io)).toBe(0);
    expect(existsSync(join(repo.dir, "sub/.github/promptops.yml"))).toBe(true);
  });
});

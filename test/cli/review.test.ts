// `promptops review`, `promptops eval` and `promptops demo` end to end: real git repositories,
// the echo provider or recorded answers, no network.

import { readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../src/cli/main.js";
import { tempRepo, type TempRepo } from "./git-fixture.js";
import { recordingIO } from "./io-fixture.js";

const CONFIG = `providers:
  retries: 0
gates:
  minPassRate: 1
`;

function prompt(user: string, version: string, model = "echo"): string {
  return `name: Greeter
model: ${model}
messages:
  - role: system
    content: You repeat what you are told.
  - role: user
    content: "${user}"
evaluators:
  - name: says-word
    string:
      contains: "{{word}}"
promptops:
  version: ${version}
  variables:
    word: { type: string, required: true }
`;
}

const GOLDEN = ['{"id": "hello", "vars": {"word": "hello"}}', '{"id": "bye", "vars": {"word": "bye"}}', ""].join("\n");

async function review(repo: TempRepo, ...args: string[]) {
  const io = recordingIO(repo.dir);
  const code = await main(["review", "--base", "main~1", "--head", "main", ...args], io);
  return { code, io };
}

describe("promptops review", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = tempRepo({
      ".github/promptops.yml": CONFIG,
      "prompts/greeter.prompt.yml": prompt("Please say {{word}}", "1.0.0"),
      "prompts/greeter.golden.jsonl": GOLDEN,
    });
    repo.commit("base");
  });
  afterEach(() => repo.cleanup());

  it("passes (exit 0) when the head still meets the gates, and reports both sides", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Now say {{word}}", "1.1.0") });
    repo.commit("head");
    const { code, io } = await review(repo, "--format", "json", "--no-cache");
    expect(code).toBe(0);
    const report = JSON.parse(io.out);
    expect(report.verdict.conclusion).toBe("success");
    expect(report.prompts).toHaveLength(1);
    expect(report.prompts[0].base.meanScore).toBe(1);
    expect(report.prompts[0].head.meanScore).toBe(1);
    expect(io.err).toContain("success:");
  });

  it("fails (exit 1) on a regression, with the markdown comment on stdout", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Say nothing at all", "1.1.0") });
    repo.commit("head");
    const { code, io } = await review(repo, "--no-cache");
    expect(code).toBe(1);
    expect(io.out).toContain("<!-- promptops:review -->");
    expect(io.out).toMatch(/`prompts\/greeter`[^\n]*▼ −1\.00/);
  });

  it("is neutral (exit 2), never a pass, when the model cannot be reached", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Now say {{word}}", "1.1.0", "openai/gpt-4o-mini") });
    repo.commit("head");
    const io = recordingIO(repo.dir);
    io.env = { OPENAI_BASE_URL: "http://127.0.0.1:9/v1" };
    const code = await main(["review", "--base", "main~1", "--head", "main", "--no-cache", "--format", "json"], io);
    expect(code).toBe(2);
    const report = JSON.parse(io.out);
    expect(report.verdict.conclusion).toBe("neutral");
    expect(io.err).toMatch(/unreachable|could not/i);
  });

  it("reports lint errors at file:line and fails the gate: content changed without a version bump", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Now say {{word}}", "1.0.0") });
    repo.commit("head");
    const { code, io } = await review(repo, "--no-cache");
    expect(code).toBe(1);
    expect(io.err).toMatch(/prompts\/greeter\.prompt\.yml:\d+:\d+: error: .*\[version-bump\]/);
  });

  it("writes JUnit to a file with --out, and a warm rerun answers from the cache", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Now say {{word}}", "1.1.0") });
    repo.commit("head");
    const cold = await review(repo, "--format", "json");
    expect(JSON.parse(cold.io.out).stats.requestsSent).toBe(4);
    const warm = await review(repo, "--format", "junit", "--out", "report.xml");
    expect(warm.code).toBe(0);
    const xml = readFileSync(join(repo.dir, "report.xml"), "utf8");
    expect(xml).toMatch(/^<\?xml/);
    expect(xml).toContain("<testsuite");
    expect(existsSync(join(repo.dir, ".promptops", "cache"))).toBe(true);
    const again = await review(repo, "--format", "json");
    expect(JSON.parse(again.io.out).stats).toMatchObject({ requestsSent: 0, cacheHits: 4 });
    const toFile = await review(repo, "--format", "json", "--out", "report.json");
    expect(toFile.io.err).toContain("Wrote the json report to report.json");
    const written = readFileSync(join(repo.dir, "report.json"), "utf8");
    expect(written.endsWith("}\n")).toBe(true);
    expect(JSON.parse(written).prompts.map((p: { id: string }) => p.id)).toEqual(JSON.parse(again.io.out).prompts.map((p: { id: string }) => p.id));
  });

  it("says where its rules came from, and that a config change on the head is not applied yet", async () => {
    repo.write({ "prompts/greeter.prompt.yml": prompt("Now say {{word}}", "1.1.0"), ".github/promptops.yml": `${CONFIG}  minScore: 1\n` });
    repo.commit("head");
    const { io } = await review(repo, "--format", "json", "--no-cache");
    expect(io.err).toContain("promptops: rules from main~1 (.github/promptops.yml as it is there); the change to it on main applies once merged\n");
  });

  it("rejects bad flags with exit 2", async () => {
    const { code, io } = await review(repo, "--format", "pdf");
    expect(code).toBe(2);
    expect(io.err).toContain("--format takes one of md, json, junit");
  });
});

describe("promptops eval", () => {
  it("evaluates one side and gates it", async () => {
    const repo = tempRepo({
      ".github/promptops.yml": CONFIG,
      "prompts/greeter.prompt.yml": prompt("Please say {{word}}", "1.0.0"),
      "prompts/greeter.golden.jsonl": GOLDEN,
      "prompts/broken.prompt.yml": prompt("Say nothing", "1.0.0"),
      "prompts/broken.golden.jsonl": GOLDEN,
    });
    try {
      const ok = recordingIO(repo.dir);
      expect(await main(["eval", "prompts/greeter.prompt.yml", "--format", "json", "--no-cache"], ok)).toBe(0);
      expect(JSON.parse(ok.out).prompts.map((p: { id: string }) => p.id)).toEqual(["prompts/greeter"]);
      const failing = recordingIO(repo.dir);
      expect(await main(["eval", "prompts/broken.prompt.yml", "--no-cache"], failing)).toBe(1);
    } finally {
      repo.cleanup();
    }
  });
});

describe("promptops demo", () => {
  it("reviews the bundled examples offline from recorded answers", async () => {
    const io = recordingIO(process.cwd());
    const code = await main(["demo"], io);
    expect(io.err).not.toContain("no recorded answer");
    expect(code).toBe(0);
    expect(io.out).toMatch(/`support\/ticket-summary` \| modified \| 0\.69 \| 1\.00 \| ▲ \+0\.31/);
    expect(io.out).toMatch(/`classify\/intent` \| modified \| 1\.00 \| 0\.50 \| ▼ −0\.50/);
    expect(io.out).toMatch(/`support\/reply` \| dependency/);
    expect(io.out).toContain("Removed from the golden set:** `vm-slow`");
    expect(io.err).toContain("Demo verdict: failure");
  });
});

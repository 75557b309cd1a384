// The core review on in-memory revisions with the echo provider: what changed, what was sent,
// and how the sides compare.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../src/core/config/model.js";
import { memoryCache } from "../../src/core/eval/cache.js";
import { createModelAccess } from "../../src/core/eval/models.js";
import { memoryTree, type ChangedPath } from "../../src/core/files.js";
import { reviewChanges } from "../../src/core/review.js";
import { loadWorkspace } from "../../src/core/workspace/workspace.js";

const config: PromptOpsConfig = { ...DEFAULT_CONFIG, providers: { ...DEFAULT_CONFIG.providers, retries: 0 } };

const PROMPT = (extra: string, version: string) => `---
model: echo
input:
  schema:
    topic: string
promptops:
  version: ${version}
  evaluators:
    - name: on-topic
      string:
        contains: "{{topic}}"
---
{{role "system"}}
{{> style}}
{{role "user"}}
Write about {{topic}}.${extra}
`;

async function run(base: Record<string, string>, head: Record<string, string>, changes: ChangedPath[]) {
  const [b, h] = await Promise.all([loadWorkspace(memoryTree(base, "base"), config), loadWorkspace(memoryTree(head, "head"), config)]);
  const models = createModelAccess({ config, env: {}, cache: memoryCache() });
  return reviewChanges({ config, base: b, head: h, changes, models, baseRef: "base", headRef: "head", now: () => 0 });
}

describe("reviewChanges", () => {
  const golden = (...topics: string[]) => topics.map((t) => JSON.stringify({ id: t, vars: { topic: t } })).join("\n");
  const base = {
    "prompts/partials/style.md": "Be brief.",
    "prompts/essay.prompt": PROMPT("", "1.0.0"),
    "prompts/essay.golden.jsonl": golden("cats", "dogs", "owls"),
  };

  it("reviews a prompt whose partial changed", async () => {
    const head = { ...base, "prompts/partials/style.md": "Be very brief." };
    const result = await run(base, head, [{ path: "prompts/partials/style.md", status: "modified" }]);
    expect(result.comparisons.map((c) => [c.promptId, c.change])).toEqual([["prompts/essay", "dependency"]]);
    // The system message differs on the two sides: 3 cases x 2 sides = 6 distinct requests.
    expect(result.stats.requestsSent).toBe(6);
    expect(result.verdict.conclusion).toBe("success");
  });

  it("sends requests that render the same on both sides once", async () => {
    const head = { ...base, "prompts/essay.golden.jsonl": golden("cats", "dogs", "owls", "bats") };
    const result = await run(base, head, [{ path: "prompts/essay.golden.jsonl", status: "modified" }]);
    // The prompt did not change: base and head render identical requests for all 4 cases.
    expect(result.stats.requestsSent).toBe(4);
    expect(result.comparisons[0]!.cases.map((c) => c.status)).toEqual(["unchanged", "unchanged", "unchanged", "unchanged"]);
  });

  it("lists golden cases the change removed and compares the rest", async () => {
    const head = { ...base, "prompts/essay.prompt": PROMPT(" Mention nothing else.", "1.1.0"), "prompts/essay.golden.jsonl": golden("cats", "dogs") };
    const result = await run(base, head, [
      { path: "prompts/essay.prompt", status: "modified" },
      { path: "prompts/essay.golden.jsonl", status: "modified" },
    ]);
    const [essay] = result.comparisons;
    expect(essay!.removedCases).toEqual(["owls"]);
    expect(essay!.head!.cases).toHaveLength(2);
    expect(result.diffs["prompts/essay"]).toContain("+Write about {{topic}}. Mention nothing else.");
  });

  it("turns an unknown model into case errors and a neutral verdict, not a pass", async () => {
    const head = { ...base, "prompts/essay.prompt": PROMPT("", "1.1.0").replace("model: echo", "model: nowhere/model") };
    const result = await run(base, head, [{ path: "prompts/essay.prompt", status: "modified" }]);
    expect(result.comparisons[0]!.head!.errors).toBe(3);
    expect(result.verdict.conclusion).toBe("neutral");
    expect(result.verdict.reasons.join(" ")).toContain("nowhere");
  });
});

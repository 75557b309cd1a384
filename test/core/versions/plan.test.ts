import { planTags, type TagCandidate, type TagPlanInput } from "../../../src/core/versions/plan.js";

const MERGE = "m".repeat(40);
const OTHER = "o".repeat(40);

const candidate = (over: Partial<TagCandidate> = {}): TagCandidate => ({
  promptId: "support/summary",
  path: "prompts/support/summary.prompt.yml",
  version: "1.3.0",
  fingerprint: "f".repeat(64),
  approved: true,
  evalConclusion: "success",
  ...over,
});

const input = (prompts: TagCandidate[], over: Partial<TagPlanInput> = {}): TagPlanInput => ({
  prompts,
  template: "prompts/{id}/v{version}",
  requireApproval: true,
  requirePassingEval: true,
  existingTags: [],
  mergeCommitSha: MERGE,
  ...over,
});

describe("planTags", () => {
  it("tags an approved, passing, versioned prompt at the merge commit", () => {
    expect(planTags(input([candidate()]))).toEqual({
      create: [
        {
          promptId: "support/summary",
          path: "prompts/support/summary.prompt.yml",
          version: "1.3.0",
          tag: "prompts/support/summary/v1.3.0",
          fingerprint: "f".repeat(64),
          commitSha: MERGE,
        },
      ],
      skipped: [],
    });
  });

  it.each<[string, Partial<TagCandidate>, Partial<TagPlanInput>, string]>([
    ["no version", { version: undefined }, {}, "no version"],
    ["an invalid version", { version: "1.3" }, {}, 'invalid version "1.3" (not semver)'],
    ["an id that cannot be a tag", { promptId: "support summary" }, {}, 'invalid tag name "prompts/support summary/v1.3.0": contains a space'],
    ["no approval", { approved: false }, {}, "not approved by its owners"],
    ["a failing eval", { evalConclusion: "failure" }, {}, "eval did not pass (failure)"],
    ["a neutral eval (provider unreachable)", { evalConclusion: "neutral" }, {}, "eval did not pass (neutral)"],
    ["no eval", { evalConclusion: undefined }, {}, "no eval result on the merged head"],
    [
      "a tag on the same commit (re-delivery)",
      {},
      { existingTags: [{ name: "prompts/support/summary/v1.3.0", commitSha: MERGE }] },
      "already tagged",
    ],
    [
      "a tag on another commit",
      {},
      { existingTags: [{ name: "prompts/support/summary/v1.3.0", commitSha: OTHER }] },
      `tag exists on ${OTHER}, not moved`,
    ],
  ])("skips a prompt with %s", (_case, over, planOver, reason) => {
    const plan = planTags(input([candidate(over)], planOver));
    expect(plan.create).toEqual([]);
    expect(plan.skipped).toEqual([{ promptId: over.promptId ?? "support/summary", reason }]);
  });

  it("tags unapproved or unevaluated prompts when those requirements are off", () => {
    const plan = planTags(
      input([candidate({ approved: false, evalConclusion: undefined })], { requireApproval: false, requirePassingEval: false }),
    );
    expect(plan.create.map((t) => t.tag)).toEqual(["prompts/support/summary/v1.3.0"]);
  });

  it("plans several prompts independently and ignores unrelated tags", () => {
    const plan = planTags(
      input(
        [
          candidate(),
          candidate({ promptId: "sales/pitch", path: "prompts/sales/pitch.prompt", version: "0.2.0", approved: false }),
          candidate({ promptId: "ops/triage", path: "prompts/ops/triage.prompt.md", version: "2.0.0" }),
        ],
        { existingTags: [{ name: "prompts/support/summary/v1.2.0", commitSha: OTHER }] },
      ),
    );
    expect(plan.create.map((t) => t.tag)).toEqual(["prompts/support/summary/v1.3.0", "prompts/ops/triage/v2.0.0"]);
    expect(plan.skipped).toEqual([{ promptId: "sales/pitch", reason: "not approved by its owners" }]);
  });

  it("never plans the same tag twice", () => {
    const plan = planTags(input([candidate(), candidate({ path: "prompts/copy.prompt.yml" })]));
    expect(plan.create).toHaveLength(1);
    expect(plan.skipped).toEqual([
      { promptId: "support/summary", reason: 'tag "prompts/support/summary/v1.3.0" is already planned for support/summary' },
    ]);
  });

  it("is idempotent: planning again after creating the tags creates nothing", () => {
    const first = planTags(input([candidate()]));
    const again = planTags(input([candidate()], { existingTags: first.create.map((t) => ({ name: t.tag, commitSha: t.commitSha })) }));
    expect(again).toEqual({ create: [], skipped: [{ promptId: "support/summary", reason: "already tagged" }] });
  });

  it("uses the configured template", () => {
    const plan = planTags(input([candidate()], { template: "{id}@{version}" }));
    expect(plan.create[0].tag).toBe("support/summary@1.3.0");
  });
});

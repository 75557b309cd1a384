import type { CheckRun, Review } from "../../src/github/port.js";
import { approversOf, checkConclusion, evalScoresFrom } from "../../src/workflows/tags-evidence.js";
import { renderCheckRun } from "../../src/core/report/check-run.js";
import { comparedCase, comparison, review } from "../core/report/fixtures.js";

const run = (summary: string | null, over: Partial<CheckRun> = {}): CheckRun => ({
  id: 1,
  name: "promptops/eval",
  headSha: "h",
  status: "completed",
  conclusion: "success",
  htmlUrl: "",
  output: { title: null, summary },
  ...over,
});

describe("evalScoresFrom", () => {
  it("reads each prompt's scores from the record the review wrote, ids with table, code and comment characters included", () => {
    const odd = "weird|id`x --> <b>";
    const summary = renderCheckRun(
      review([
        comparison("support/summary", [comparedCase("a", 0.25, 0.5)]),
        comparison(odd, [comparedCase("b", 1, 0.75)]),
      ]),
    ).summary;
    expect(evalScoresFrom(run(summary), "support/summary")).toEqual({ base: 0.25, head: 0.5 });
    expect(evalScoresFrom(run(summary), odd)).toEqual({ base: 1, head: 0.75 });
    expect(evalScoresFrom(run(summary), "support")).toEqual({});
  });

  it("keeps full precision, which the table's two decimals would lose", () => {
    const summary = renderCheckRun(review([comparison("p", [comparedCase("a", 1 / 3, 2 / 3)])])).summary;
    expect(evalScoresFrom(run(summary), "p")).toEqual({ base: 1 / 3, head: 2 / 3 });
  });

  it("never reads the Markdown table: a run without a record gives no scores", () => {
    const table = [
      "| Prompt | Change | Base score | Head score |",
      "| --- | --- | ---: | ---: |",
      "| `p` | modified | 0.50 | 1.00 |",
      "<!-- promptops:record {\"version\":1,\"headRef\":\"h\",\"prompts\":[{\"id\":\"p\",\"head\":7}]} -->",
    ].join("\n");
    expect(evalScoresFrom(run(table), "p")).toEqual({});
  });

  it("leaves out a side shown as not scored, and everything without a record", () => {
    const summary = renderCheckRun(review([comparison("new", [comparedCase("a", 0, 1)], { base: undefined })])).summary;
    expect(evalScoresFrom(run(summary), "new")).toEqual({ head: 1 });
    expect(evalScoresFrom(run("Evaluation skipped: no API key."), "new")).toEqual({});
    expect(evalScoresFrom(run(null), "new")).toEqual({});
    expect(evalScoresFrom(undefined, "new")).toEqual({});
  });
});

describe("checkConclusion", () => {
  it("takes the newest run, and never reads a running one as a pass", () => {
    expect(checkConclusion([run(null, { conclusion: "failure" }), run(null)])).toBe("failure");
    expect(checkConclusion([run(null, { status: "in_progress", conclusion: null }), run(null)])).toBe("in_progress");
    expect(checkConclusion([])).toBeUndefined();
  });
});

describe("approversOf", () => {
  const r = (user: string, state: Review["state"], at: string): Review => ({ id: 1, user, state, commitId: "h", submittedAt: `2024-05-01T${at}:00Z` });
  it("counts each reviewer's latest decisive review, never the author's", () => {
    const reviews: Review[] = [
      r("carol", "APPROVED", "10:00"),
      r("carol", "COMMENTED", "11:00"),
      r("dave", "APPROVED", "10:00"),
      r("dave", "CHANGES_REQUESTED", "11:00"),
      r("erin", "CHANGES_REQUESTED", "10:00"),
      r("erin", "APPROVED", "11:00"),
      r("Author", "APPROVED", "10:00"),
      r("bob", "APPROVED", "10:00"),
      r("bob", "DISMISSED", "11:00"),
      { id: 2, user: "pending", state: "PENDING", commitId: "h" },
    ];
    expect(approversOf(reviews, "author")).toEqual(["carol", "erin"]);
  });
});

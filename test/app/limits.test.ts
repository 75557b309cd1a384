// GitHub's limits and other people's comments, through the Probot app against the simulated
// GitHub, which refuses (422) any text over its limit in UTF-8 bytes as GitHub does.

import nock from "nock";
import { FakeGitHub, LIMITS, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA, type Files } from "../fixtures/github/repo.js";
import { testApp } from "./helpers.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const MARKER = "<!-- promptops:review -->";
const bytes = (text: string | null) => Buffer.byteLength(text ?? "", "utf8");

/** Prompt 1's golden set: `count` cases whose ticket (echoed back as the output) is `chars` Japanese characters. */
function japaneseGolden(count: number, chars: number): string {
  const sentence = "お客様から返金の依頼がありました。";
  const rows: string[] = [];
  for (let i = 1; i <= count; i++) {
    const ticket = `${i} refund: ${sentence.repeat(Math.ceil(chars / sentence.length)).slice(0, chars)}`;
    rows.push(JSON.stringify({ id: `case-${i}`, ticket }));
  }
  return `${rows.join("\n")}\n`;
}

function setUp(commits: Record<string, Files>): FakeGitHub {
  const fake = new FakeGitHub(OWNER, REPO, commits);
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  nockGitHub(fake);
  return fake;
}

describe("GitHub's byte limits", () => {
  it("a check run with 30 cases of 840-character Japanese outputs is accepted, and says what it left out", async () => {
    const base = baseFiles(1, {});
    base["prompts/support/summary-1.golden.jsonl"] = japaneseGolden(30, 840);
    // The head drops the ticket: every case regresses, so every case is shown with its base output.
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1, { regress: true }) });
    const app = await testApp();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    const run = fake.checkRuns.find((r) => r.name === "promptops/eval")!;
    expect(run.status).toBe("completed");
    expect(run.output.title).not.toMatch(/could not finish/i);
    expect(bytes(run.output.text)).toBeLessThanOrEqual(LIMITS.checkText);
    expect(bytes(run.output.summary)).toBeLessThanOrEqual(LIMITS.checkText);
    // The text holds as many cases as fit, then names what it had to leave out.
    expect(run.output.text).toContain("お客様から返金の依頼");
    expect(run.output.text).toMatch(/not shown|omitted|left out/i);
    const comment = fake.comments.find((c) => c.body.includes(MARKER))!;
    expect(bytes(comment.body)).toBeLessThanOrEqual(LIMITS.commentBody);
    // GitHub refused no write.
    expect(fake.refusals).toEqual([]);
  });
});

describe("comments written by other people", () => {
  it("a person's comment quoting the marker is neither edited nor deleted, on the first review or a redelivery", async () => {
    const base = baseFiles(1);
    const fake = setUp({ [SHA.base]: base, [SHA.head]: headFiles(base, 1) });
    const quote = `How does the bot find its comment? It looks for ${MARKER}, I think.`;
    const humanId = fake.addComment(quote, { login: "octocat" });
    const otherApp = fake.addComment(`${MARKER}\nfake results`, { login: "mimic[bot]", app: { id: 999, slug: "mimic" } });
    const app = await testApp();

    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
    await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));

    expect(fake.comments.find((c) => c.id === humanId)?.body).toBe(quote);
    expect(fake.comments.find((c) => c.id === otherApp)?.body).toBe(`${MARKER}\nfake results`);
    const ours = fake.comments.filter((c) => c.body.includes(MARKER) && c.user.login === "promptops[bot]");
    expect(ours).toHaveLength(1);
    expect(fake.calls.some((c) => c.endsWith(`/issues/comments/${humanId}`) || c.endsWith(`/issues/comments/${otherApp}`))).toBe(false);
  });
});

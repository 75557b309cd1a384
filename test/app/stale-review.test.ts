// A later push that takes every prompt change out of a reviewed pull request: the sticky
// comment and the head's check say the earlier review no longer applies.

import nock from "nock";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { baseFiles, headFiles, OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";
import { testApp } from "./helpers.js";

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => nock.enableNetConnect());

const MARKER = "<!-- promptops:review -->";
const R = `/repos/${OWNER}/${REPO}`;

it("marks the comment and the new head's check when a push removes every prompt change", async () => {
  const base = baseFiles(1);
  // head2 puts the prompt back as on the base and edits only the README.
  const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1), [SHA.head2]: { ...base, "README.md": "# Support bot, v2\n" } });
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  nockGitHub(fake);
  const app = await testApp();

  await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
  const reviewed = fake.comments.find((c) => c.body.includes(MARKER))!;
  expect(reviewed.body).toContain("support/summary-1");

  fake.pulls.get(PR_NUMBER)!.head = SHA.head2;
  await app.receive("pull_request", pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head2 }));

  const comments = fake.comments.filter((c) => c.body.includes(MARKER));
  expect(comments).toHaveLength(1);
  expect(comments[0]!.id).toBe(reviewed.id);
  expect(comments[0]!.body).toContain("no prompt changes any more");
  expect(comments[0]!.body).toContain(SHA.head2.slice(0, 7));
  expect(comments[0]!.body).not.toContain("support/summary-1");
  const run = fake.checkRuns.find((r) => r.name === "promptops/eval" && r.head_sha === SHA.head2)!;
  expect(run.conclusion).toBe("neutral");
  expect(run.output.title).toBe("No prompt changes any more");
});

it("a pull request that never changed a prompt gets no comment and no check", async () => {
  const base = baseFiles(1);
  const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: { ...base, "README.md": "# Changed\n" } });
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  nockGitHub(fake);
  const app = await testApp();
  await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head }));
  await app.receive("pull_request", pullRequestEvent("synchronize", { base: SHA.base, head: SHA.head }));
  expect(fake.comments).toEqual([]);
  expect(fake.checkRuns.filter((r) => r.name === "promptops/eval")).toEqual([]);
  // Only the push looked for an earlier review's comment.
  expect(fake.callsBy("review").filter((c) => c === `GET ${R}/issues/${PR_NUMBER}/comments`)).toHaveLength(1);
});

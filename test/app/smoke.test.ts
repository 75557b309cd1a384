import nock from "nock";
import { FakeGitHub, nockGitHub } from "../fixtures/github/fake-github.js";
import { pullRequestEvent } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA, baseFiles, headFiles } from "../fixtures/github/repo.js";
import { testApp } from "./helpers.js";

it("smoke", async () => {
  nock.disableNetConnect();
  const base = baseFiles(2);
  const fake = new FakeGitHub(OWNER, REPO, { [SHA.base]: base, [SHA.head]: headFiles(base, 1, { regress: true }) });
  fake.addPull({ number: PR_NUMBER, base: SHA.base, head: SHA.head });
  nockGitHub(fake);
  const app = await testApp();
  await app.receive("pull_request", pullRequestEvent("opened", { base: SHA.base, head: SHA.head })).catch((e) => { console.log(fake.calls); throw e; });
  console.log(fake.calls, fake.graphqlFileCounts, JSON.stringify(fake.checkRuns, null, 1).slice(0, 4000), fake.comments.map(c => c.body).join("\n").slice(0, 3000));
});

// GitHub's documented answer to a secondary rate limit: 403 or 429, a message saying so, and
// `retry-after`, or `x-ratelimit-remaining: 0` with `x-ratelimit-reset`, or neither (a minute).

import { Octokit } from "@octokit/rest";
import nock from "nock";
import { retrySecondaryRateLimits, secondaryLimitWait } from "../../src/app/secondary-limits.js";

const MESSAGE = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.";
const limited = (status: number, headers: Record<string, string> = {}, message = MESSAGE) => ({ status, message, response: { headers } });
const NOW = Date.UTC(2026, 0, 1);

describe("secondaryLimitWait", () => {
  it("follows retry-after, then x-ratelimit-reset when none remain, then a minute", () => {
    expect(secondaryLimitWait(limited(403, { "retry-after": "30" }), NOW)).toBe(30);
    expect(secondaryLimitWait(limited(429, { "retry-after": "0" }), NOW)).toBe(1);
    expect(secondaryLimitWait(limited(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(NOW / 1000 + 42) }), NOW)).toBe(42);
    expect(secondaryLimitWait(limited(403, { "x-ratelimit-remaining": "12", "x-ratelimit-reset": String(NOW / 1000 + 42) }), NOW)).toBe(60);
    expect(secondaryLimitWait(limited(429), NOW)).toBe(60);
    expect(secondaryLimitWait(limited(403, {}, "You have triggered an abuse detection mechanism."), NOW)).toBe(60);
  });

  it("leaves other errors alone", () => {
    expect(secondaryLimitWait(limited(403, { "retry-after": "5" }, "Resource not accessible by integration"))).toBeUndefined();
    expect(secondaryLimitWait(limited(500, { "retry-after": "5" }))).toBeUndefined();
    expect(secondaryLimitWait(null)).toBeUndefined();
  });
});

describe("retrySecondaryRateLimits", () => {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it("retries after the reset GitHub names, and gives up on waits too long to hold a webhook", async () => {
    const quiet = { debug() {}, info() {}, warn() {}, error() {} };
    const octokit = retrySecondaryRateLimits(new Octokit({ log: quiet, request: { retries: 0 } }), { baseMs: 1, maxWaitSeconds: 120 });
    const reset = () => String(Math.floor(Date.now() / 1000) + 5);
    nock("https://api.github.com")
      .get("/repos/o/r")
      .reply(403, { message: MESSAGE }, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset() })
      .get("/repos/o/r")
      .reply(200, { name: "r" });
    expect((await octokit.rest.repos.get({ owner: "o", repo: "r" })).data).toEqual({ name: "r" });

    nock("https://api.github.com").get("/repos/o/r").reply(429, { message: MESSAGE }, { "retry-after": "3600" });
    await expect(octokit.rest.repos.get({ owner: "o", repo: "r" })).rejects.toMatchObject({ status: 429 });
  });
});

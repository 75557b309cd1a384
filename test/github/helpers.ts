// Shared set-up for the port's tests: a plain @octokit/rest client against nock, so every
// request the port makes must be one the test declared.

import { Octokit } from "@octokit/rest";
import nock from "nock";
import { createRequire } from "node:module";
import { createGitHubPort } from "../../src/github/octokit.js";

export const API = "https://api.github.com";
export const repo = { owner: "Codertocat", repo: "Hello-World" };
export const pr = { ...repo, number: 2 };

/** Octokit logs every failed request; the tests provoke many on purpose. */
export const quietLog = { debug() {}, info() {}, warn() {}, error() {} };

export function testOctokit(): Octokit {
  return new Octokit({ baseUrl: API, request: { retries: 0 }, log: quietLog });
}

export function testPort(options: Parameters<typeof createGitHubPort>[1] = {}) {
  return createGitHubPort(testOctokit(), options);
}

/** Blocks the network and checks, after each test, that every declared request was made. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
  afterAll(() => nock.enableNetConnect());
}

/** The `pull_request` of GitHub's documented `pull_request.closed` webhook payload. */
export function examplePullRequest(): Record<string, any> {
  const require = createRequire(import.meta.url);
  const events = require("@octokit/webhooks-examples") as { name: string; examples: { action?: string; pull_request?: unknown }[] }[];
  const example = events.find((e) => e.name === "pull_request")!.examples.find((e) => e.action === "closed")!;
  return structuredClone(example.pull_request) as Record<string, any>;
}

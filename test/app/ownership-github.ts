// A small GitHub behind nock for the ownership tests: commits as path -> text maps served over
// the REST and GraphQL endpoints the port uses, with reviews, review requests, team
// memberships, check runs and comments kept in memory so several deliveries see one history.
// Requests nobody declared fail the test (nock blocks the network).

import nock from "nock";
import { createRequire } from "node:module";
import { Probot, ProbotOctokit } from "probot";
import promptopsApp from "../../src/app/index.js";

export const API = "https://api.github.com";
export const OWNER = "Codertocat";
export const REPO = "Hello-World";
export const BASE_SHA = "f95f852bd8fca8fcc58a9a2d6c842781e32a215e";
export const HEAD_SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
export const OLD_HEAD_SHA = "34c5c7793cb3b279e22454cb6750c80560547b3a";

export interface RestReview {
  id: number;
  user: { login: string };
  state: string;
  commit_id: string;
  submitted_at: string;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  started_at: string;
  output: { title: string | null; summary: string | null };
}

export interface FakeGitHub {
  commits: Record<string, Record<string, string>>;
  author: string;
  draft: boolean;
  files: { filename: string; status: string; previous_filename?: string }[];
  reviews: RestReview[];
  requested: { users: string[]; teams: string[] };
  /** `org/team` -> active members. */
  teams: Record<string, string[]>;
  /** Review requests GitHub refuses with 422 (the POST is still recorded). */
  refuse?: (body: { reviewers?: string[]; team_reviewers?: string[] }) => string | undefined;
  checkRuns: StoredCheckRun[];
  comments: { id: number; body: string; created_at: string }[];
  /** Bodies of every POST to requested_reviewers, in order. */
  reviewRequests: { reviewers?: string[]; team_reviewers?: string[] }[];
  /** Every check-run write: `create <name> <status>/<conclusion>` or `update ...`. */
  checkWrites: string[];
  membershipLookups: string[];
}

export function fakeGitHub(init: Partial<FakeGitHub> & Pick<FakeGitHub, "commits">): FakeGitHub {
  return {
    author: "Codertocat",
    draft: false,
    files: [],
    reviews: [],
    requested: { users: [], teams: [] },
    teams: {},
    checkRuns: [],
    comments: [],
    reviewRequests: [],
    checkWrites: [],
    membershipLookups: [],
    ...init,
  };
}

const require = createRequire(import.meta.url);
type Example = { name: string; examples: Record<string, any>[] };
const examples = require("@octokit/webhooks-examples") as Example[];

/** GitHub's documented `pull_request_review` payload, adapted: the review's state, user and commit. */
export function reviewPayload(
  action: "submitted" | "dismissed",
  review: { state: "approved" | "changes_requested" | "commented" | "dismissed"; user: string; commitId?: string },
  gh: FakeGitHub,
): Record<string, any> {
  const event = examples.find((e) => e.name === "pull_request_review")!;
  const example = event.examples.find((e) => e.action === action)!;
  const payload = structuredClone(example);
  payload.review.state = review.state;
  payload.review.user.login = review.user;
  payload.review.commit_id = review.commitId ?? HEAD_SHA;
  payload.pull_request.user.login = gh.author;
  payload.pull_request.head.sha = HEAD_SHA;
  payload.pull_request.base.sha = BASE_SHA;
  return payload;
}

/** GitHub's documented `pull_request` payload for `action`, pointing at the fake's commits. */
export function pullRequestPayload(action: string, gh: FakeGitHub): Record<string, any> {
  const event = examples.find((e) => e.name === "pull_request")!;
  const example = event.examples.find((e) => e.action === "opened") ?? event.examples[0]!;
  const payload = structuredClone(example);
  payload.action = action;
  payload.pull_request.user.login = gh.author;
  payload.pull_request.draft = gh.draft;
  payload.pull_request.head.sha = HEAD_SHA;
  payload.pull_request.base.sha = BASE_SHA;
  return payload;
}

/** The pull request as `GET /pulls/:n` returns it: the example's pull request with our state. */
function restPullRequest(gh: FakeGitHub): Record<string, any> {
  const event = examples.find((e) => e.name === "pull_request")!;
  const pr = structuredClone(event.examples.find((e) => e.action === "opened")!.pull_request);
  pr.user.login = gh.author;
  pr.draft = gh.draft;
  pr.state = "open";
  pr.merged = false;
  pr.head.sha = HEAD_SHA;
  pr.base.sha = BASE_SHA;
  pr.changed_files = gh.files.length;
  return pr;
}

let nextId = 1000;

/** Declares the fake's endpoints on nock; call `nock.cleanAll()` after each test. */
export function serve(gh: FakeGitHub): void {
  const repoPath = `/repos/${OWNER}/${REPO}`;
  const scope = nock(API).persist();

  scope.get(new RegExp(`^${repoPath}/pulls/\\d+$`)).reply(200, () => restPullRequest(gh));
  scope.get(new RegExp(`^${repoPath}/pulls/\\d+/files`)).reply(200, () => gh.files);
  scope.get(new RegExp(`^${repoPath}/pulls/\\d+/reviews`)).reply(200, () => gh.reviews);
  scope.get(new RegExp(`^${repoPath}/pulls/\\d+/requested_reviewers$`)).reply(200, () => ({
    users: gh.requested.users.map((login) => ({ login })),
    teams: gh.requested.teams.map((slug) => ({ slug })),
  }));
  scope.post(new RegExp(`^${repoPath}/pulls/\\d+/requested_reviewers$`)).reply((_uri, body) => {
    const request = body as { reviewers?: string[]; team_reviewers?: string[] };
    gh.reviewRequests.push(request);
    const refused = gh.refuse?.(request);
    if (refused) return [422, { message: refused, documentation_url: "https://docs.github.com" }];
    gh.requested.users.push(...(request.reviewers ?? []));
    gh.requested.teams.push(...(request.team_reviewers ?? []));
    return [201, restPullRequest(gh)];
  });

  scope.get(/^\/orgs\/[^/]+\/teams\/[^/]+\/memberships\/[^/]+$/).reply((uri) => {
    const [, , org, , team, , user] = uri.split("/");
    gh.membershipLookups.push(`${org}/${team}:${user}`);
    const members = gh.teams[`${org}/${team}`] ?? [];
    return members.some((m) => m.toLowerCase() === user!.toLowerCase())
      ? [200, { state: "active", role: "member" }]
      : [404, { message: "Not Found" }];
  });

  scope.get(new RegExp(`^${repoPath}/git/trees/[0-9a-f]+`)).reply((uri) => {
    const sha = uri.split("/").pop()!.split("?")[0]!;
    const files = gh.commits[sha];
    if (!files) return [404, { message: "Not Found" }];
    return [200, { sha, truncated: false, tree: Object.keys(files).map((path) => ({ path, type: "blob", mode: "100644" })) }];
  });

  scope.post("/graphql").reply((_uri, body) => {
    const { variables } = body as { variables: Record<string, string> };
    const repository: Record<string, unknown> = {};
    for (const [key, expression] of Object.entries(variables)) {
      if (!/^e\d+$/.test(key)) continue;
      const colon = expression.indexOf(":");
      const text = gh.commits[expression.slice(0, colon)]?.[expression.slice(colon + 1)];
      repository[`f${key.slice(1)}`] =
        text === undefined
          ? null
          : { __typename: "Blob", byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
    }
    return [200, { data: { repository } }];
  });

  scope.get(new RegExp(`^${repoPath}/commits/[0-9a-f]+/check-runs`)).reply((uri) => {
    const url = new URL(uri, API);
    const sha = url.pathname.split("/")[5];
    const name = url.searchParams.get("check_name");
    const runs = gh.checkRuns.filter((r) => r.head_sha === sha && (name === null || r.name === name));
    return [200, { total_count: runs.length, check_runs: runs }];
  });
  scope.post(`${repoPath}/check-runs`).reply((_uri, body) => {
    const input = body as Record<string, any>;
    const run: StoredCheckRun = {
      id: nextId++,
      name: input.name,
      head_sha: input.head_sha,
      status: input.conclusion ? "completed" : (input.status ?? "queued"),
      conclusion: input.conclusion ?? null,
      started_at: new Date(Date.UTC(2024, 0, 1, 0, 0, nextId)).toISOString(),
      output: { title: input.output?.title ?? null, summary: input.output?.summary ?? null },
    };
    gh.checkRuns.push(run);
    gh.checkWrites.push(`create ${run.name} ${run.status}/${run.conclusion}`);
    return [201, run];
  });
  scope.patch(new RegExp(`^${repoPath}/check-runs/\\d+$`)).reply((uri, body) => {
    const input = body as Record<string, any>;
    const run = gh.checkRuns.find((r) => r.id === Number(uri.split("/").pop()));
    if (!run) return [404, { message: "Not Found" }];
    if (input.status) run.status = input.status;
    if (input.conclusion) {
      run.conclusion = input.conclusion;
      run.status = "completed";
    }
    if (input.output) run.output = { title: input.output.title ?? null, summary: input.output.summary ?? null };
    gh.checkWrites.push(`update ${run.name} ${run.status}/${run.conclusion}`);
    return [200, run];
  });

  scope.get(new RegExp(`^${repoPath}/issues/\\d+/comments`)).reply(200, () => gh.comments);
  scope.post(new RegExp(`^${repoPath}/issues/\\d+/comments$`)).reply((_uri, body) => {
    const comment = { id: nextId++, body: (body as { body: string }).body, created_at: new Date(Date.UTC(2024, 0, 1, 0, 0, nextId)).toISOString() };
    gh.comments.push(comment);
    return [201, comment];
  });
  scope.patch(new RegExp(`^${repoPath}/issues/comments/\\d+$`)).reply((uri, body) => {
    const comment = gh.comments.find((c) => c.id === Number(uri.split("/").pop()));
    if (!comment) return [404, { message: "Not Found" }];
    comment.body = (body as { body: string }).body;
    return [200, comment];
  });
}

/** The PromptOps app in a Probot that authenticates with a plain token (no app JWT dance). */
export function testProbot(): Probot {
  const probot = new Probot({
    githubToken: "test-token",
    Octokit: ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } }),
    logLevel: "fatal",
  });
  probot.load((app) => promptopsApp(app, { env: {} }));
  return probot;
}

export async function deliver(probot: Probot, name: "pull_request" | "pull_request_review", payload: Record<string, any>): Promise<void> {
  await probot.receive({ id: `delivery-${nextId++}`, name, payload } as Parameters<Probot["receive"]>[0]);
}

/** The newest `promptops/owners` run on the head commit. */
export function ownersCheck(gh: FakeGitHub, sha = HEAD_SHA): StoredCheckRun | undefined {
  return gh.checkRuns.filter((r) => r.name === "promptops/owners" && r.head_sha === sha).at(-1);
}

// The App tests' simulated GitHub (test/fixtures/github) plus what ownership needs: reviews,
// requested reviewers (with GitHub's 422 refusals), team memberships, GraphQL's 512,000-byte
// cut of `Blob.text`, and GitHub's documented `pull_request_review` payload adapted to it.

import { createRequire } from "node:module";
import { FakeGitHub } from "../fixtures/github/fake-github.js";
import { INSTALLATION_ID } from "../fixtures/github/payloads.js";
import { OWNER, PR_NUMBER, REPO, SHA } from "../fixtures/github/repo.js";

export interface RestReview {
  id: number;
  user: { login: string };
  state: string;
  commit_id: string;
  submitted_at: string;
}

type ReviewersBody = { reviewers?: string[]; team_reviewers?: string[] };

/** GitHub's GraphQL API cuts `Blob.text` at 512,000 bytes and says so with `isTruncated`. */
const GRAPHQL_TEXT_LIMIT = 512_000;

export class OwnershipGitHub extends FakeGitHub {
  readonly reviews: RestReview[] = [];
  readonly requested = { users: [] as string[], teams: [] as string[] };
  /** `org/team` -> active members. */
  readonly teams: Record<string, string[]> = {};
  /** Bodies of every POST to requested_reviewers, in order. */
  readonly reviewRequests: ReviewersBody[] = [];
  readonly membershipLookups: string[] = [];
  /** GitHub's 422 message for a review request, when it refuses one. */
  refuse?: (body: ReviewersBody) => string | undefined;

  override handle(method: string, url: string, rawBody: unknown): { status: number; body: unknown; headers?: Record<string, string> } {
    const path = new URL(url, "http://fake.test").pathname;
    const pulls = `/repos/${this.owner}/${this.repo}/pulls/`;
    const record = () => this.calls.push(`${method} ${path}`);
    let m: RegExpMatchArray | null;

    if (method === "GET" && path.startsWith(pulls) && path.endsWith("/reviews")) {
      record();
      return { status: 200, body: this.reviews };
    }
    if (path.startsWith(pulls) && path.endsWith("/requested_reviewers")) {
      record();
      if (method === "GET") {
        const { users, teams } = this.requested;
        return { status: 200, body: { users: users.map((login) => ({ login })), teams: teams.map((slug) => ({ slug })) } };
      }
      const body = (typeof rawBody === "string" ? JSON.parse(rawBody) : rawBody) as ReviewersBody;
      this.reviewRequests.push(body);
      const refused = this.refuse?.(body);
      if (refused) return { status: 422, body: { message: refused, documentation_url: "https://docs.github.com/rest" } };
      this.requested.users.push(...(body.reviewers ?? []));
      this.requested.teams.push(...(body.team_reviewers ?? []));
      return { status: 201, body: { number: PR_NUMBER } };
    }
    if (method === "GET" && (m = path.match(/^\/orgs\/([^/]+)\/teams\/([^/]+)\/memberships\/([^/]+)$/))) {
      record();
      const [, org, team, user] = m;
      this.membershipLookups.push(`${org}/${team}:${user}`);
      const member = (this.teams[`${org}/${team}`] ?? []).some((u) => u.toLowerCase() === user!.toLowerCase());
      return member ? { status: 200, body: { state: "active", role: "member" } } : { status: 404, body: { message: "Not Found" } };
    }

    const reply = super.handle(method, url, rawBody);
    if (method === "POST" && path === "/graphql") cutLongTexts(reply.body);
    return reply;
  }
}

function cutLongTexts(body: unknown): void {
  const repository = (body as { data?: { repository?: Record<string, { byteSize: number; text: string; isTruncated: boolean } | null> } }).data?.repository;
  for (const blob of Object.values(repository ?? {})) {
    if (blob && blob.byteSize > GRAPHQL_TEXT_LIMIT) {
      blob.isTruncated = true;
      blob.text = blob.text.slice(0, GRAPHQL_TEXT_LIMIT);
    }
  }
}

const require = createRequire(import.meta.url);
const examples = require("@octokit/webhooks-examples") as { name: string; examples: Record<string, any>[] }[];

/** GitHub's documented `pull_request_review` payload, adapted: repository, pull request, the review. */
export function reviewEvent(
  action: "submitted" | "dismissed",
  review: { state: "approved" | "changes_requested" | "commented" | "dismissed"; user: string; commitId?: string },
): Record<string, any> {
  const example = examples.find((e) => e.name === "pull_request_review")!.examples.find((e) => e.action === action)!;
  const payload = structuredClone(example);
  payload.repository.name = REPO;
  payload.repository.full_name = `${OWNER}/${REPO}`;
  payload.repository.owner.login = OWNER;
  payload.installation = { id: INSTALLATION_ID, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==" };
  payload.pull_request.number = PR_NUMBER;
  payload.pull_request.base.sha = SHA.base;
  payload.pull_request.head.sha = SHA.head;
  payload.review.state = review.state;
  payload.review.user.login = review.user;
  payload.review.commit_id = review.commitId ?? SHA.head;
  return payload;
}

/** The newest `promptops/owners` run on a commit. */
export function ownersCheck(gh: FakeGitHub, sha: string = SHA.head) {
  return gh.checkRuns.filter((r) => r.name === "promptops/owners" && r.head_sha === sha).at(-1);
}

/** Every state the `promptops/owners` runs went through, run by run. */
export function ownersHistory(gh: FakeGitHub): string[][] {
  return gh.checkRuns
    .filter((r) => r.name === "promptops/owners")
    .map((r) => r.history.map((h) => `${h.status}/${h.conclusion}`));
}

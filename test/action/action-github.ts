// The simulated GitHub the Action's tests run against, served as GitHub Enterprise Server on
// 127.0.0.1: pull requests, check runs and comments (FakeGitHub), reviews and review requests
// (OwnershipGitHub), tags and merged pull requests of a commit.

import { OwnershipGitHub } from "../app/ownership-github.js";
import { GitTags } from "../fixtures/github/git-tags.js";

export class ActionGitHub extends OwnershipGitHub {
  readonly tags = new GitTags();
  /** Every request path as it arrived, GHES prefixes included. */
  readonly rawPaths: string[] = [];
  /** Answer every write as GitHub does for a read-only token (a pull request from a fork). */
  readOnly = false;

  override handle(method: string, url: string, rawBody: unknown): { status: number; body: unknown; headers?: Record<string, string> } {
    const parsed = new URL(url, "http://fake.test");
    this.rawPaths.push(`${method} ${parsed.pathname}`);
    // The fixtures below route github.com paths; GHES serves the same API under /api/v3 and /api/graphql.
    const path = decodeURIComponent(parsed.pathname).replace(/^\/api\/v3(?=\/)/, "").replace(/^\/api\/graphql$/, "/graphql");
    if (this.readOnly && method !== "GET" && path !== "/graphql") {
      this.calls.push(`${method} ${path}`);
      return { status: 403, body: { message: "Resource not accessible by integration", documentation_url: "https://docs.github.com/rest" } };
    }
    const prefix = `/repos/${this.owner}/${this.repo}`;
    if (path.startsWith(prefix)) {
      const body = (typeof rawBody === "string" && rawBody !== "" ? JSON.parse(rawBody) : (rawBody ?? {})) as Record<string, any>;
      const reply = this.tags.handle(method, path.slice(prefix.length), body, `https://github.com/${this.owner}/${this.repo}`);
      if (reply) {
        this.calls.push(`${method} ${path}`);
        return reply;
      }
    }
    return super.handle(method, `${path}${parsed.search}`, rawBody);
  }
}

// The slice of an Octokit instance the port uses, as a structural type, so Probot's
// `context.octokit`, `@actions/github`'s `getOctokit()` and `@octokit/rest` all fit without
// tying us to one copy of `@octokit/types` (Probot and @octokit/rest ship different ones).

/** A REST endpoint method; `any` because three Octokit builds must fit. Callers type `data` (see `rest-types.ts`). */
export type Endpoint = (params?: any) => Promise<{ data: any; status: number }>;

type Endpoints<Names extends string> = Record<Names, Endpoint>;

export interface OctokitLike {
  rest: {
    pulls: Endpoints<"get" | "listFiles" | "requestReviewers" | "listRequestedReviewers" | "listReviews">;
    git: Endpoints<"getTree" | "getRef" | "getTag" | "listMatchingRefs" | "createTag" | "createRef">;
    issues: Endpoints<"listComments" | "createComment" | "updateComment" | "deleteComment" | "listForRepo" | "create" | "update">;
    checks: Endpoints<"create" | "update" | "listForRef">;
    teams: Endpoints<"getMembershipForUserInOrg">;
    repos: Endpoints<"getCollaboratorPermissionLevel" | "createRelease" | "listPullRequestsAssociatedWithCommit" | "get" | "getBranch">;
  };
  /** `@octokit/plugin-paginate-rest`: follows `Link` headers and returns every item. */
  paginate: (route: any, params?: any) => Promise<unknown[]>;
  /** `@octokit/graphql`: throws when the response carries `errors`. */
  graphql: (query: string, variables?: Record<string, unknown>) => Promise<unknown>;
}

/** Where the port reports what it recovered from. Probot's `context.log` fits. */
export interface PortLogger {
  warn(message: string): void;
  debug?(message: string): void;
}

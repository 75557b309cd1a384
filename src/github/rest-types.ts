// The fields of GitHub's REST responses the port reads: a narrow view, so the mapping code is
// typed without depending on one version of `@octokit/openapi-types`.

export interface RestUser {
  login: string;
}

export interface RestRepo {
  name: string;
  owner: RestUser;
}

export interface RestPullRequest {
  number: number;
  title: string;
  user: RestUser | null;
  draft?: boolean;
  state: string;
  merged?: boolean;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  merged_by?: RestUser | null;
  html_url: string;
  labels: { name?: string }[];
  changed_files?: number;
  base: { ref: string; sha: string; repo: RestRepo };
  head: { ref: string; sha: string; repo: RestRepo | null; user?: RestUser | null };
}

export interface RestPullFile {
  filename: string;
  status: string;
  previous_filename?: string;
}

export interface RestTree {
  sha: string;
  truncated: boolean;
  tree: { path?: string; type?: string }[];
}

export interface RestComment {
  id: number;
  body?: string;
  created_at: string;
  user?: { login: string; type?: string } | null;
  /** The GitHub App whose token wrote the comment (GitHub Actions' own app for GITHUB_TOKEN). */
  performed_via_github_app?: { id: number; slug?: string } | null;
}

export interface RestCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  html_url: string | null;
  external_id: string | null;
  started_at?: string | null;
  /** The app that created the run. */
  app?: { id: number } | null;
  output: { title: string | null; summary: string | null; text?: string | null };
}

export interface RestReview {
  id: number;
  user: RestUser | null;
  state: string;
  commit_id: string | null;
  submitted_at?: string;
}

export interface RestGitRef {
  ref: string;
  object: { type: string; sha: string };
}

export interface RestGitTag {
  sha: string;
  tag: string;
  message: string;
  object: { type: string; sha: string };
}

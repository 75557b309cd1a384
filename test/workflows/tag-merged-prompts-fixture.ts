// An in-memory GitHub for the tagging workflow: commits as path -> text maps, tags that behave
// like refs (creating an existing one fails), check runs, reviews and marker comments.

import { blobFromBytes, type FileBlob } from "../../src/core/files.js";
import { TagExistsError } from "../../src/github/errors.js";
import type {
  ChangedFile,
  CheckRun,
  GitHubPort,
  PullRef,
  PullRequestInfo,
  Review,
  TagRef,
} from "../../src/github/port.js";

export const BASE_SHA = "b".repeat(40);
export const HEAD_SHA = "h".repeat(40);
export const MERGE_SHA = "m".repeat(40);
export const OTHER_SHA = "0".repeat(40);

export const target: PullRef = { owner: "acme", repo: "prompts", number: 7 };

export function promptFile(id: string, version: string | undefined, system: string, extra = ""): string {
  return [
    "name: Ticket summary",
    `description: Summarises a support ticket${extra}`,
    "model: openai/gpt-4o-mini",
    "promptops:",
    `  id: ${id}`,
    ...(version !== undefined ? [`  version: ${version}`] : []),
    "messages:",
    "  - role: system",
    `    content: ${JSON.stringify(system)}`,
    "  - role: user",
    "    content: 'Ticket: {{ticket}}'",
    "",
  ].join("\n");
}

export interface FakeGitHubState {
  commits: Map<string, Record<string, string>>;
  pr: PullRequestInfo;
  files: ChangedFile[];
  checkRuns: CheckRun[];
  reviews: Review[];
  tags: TagRef[];
  comments: { id: number; body: string }[];
  releases: { tag: string; name: string; body: string }[];
  /** Tag names whose creation GitHub refuses with this message. */
  refuse: Map<string, string>;
  /** Called between the tag object and the ref, to simulate a racing delivery. */
  beforeCreateRef?: (name: string) => void;
  calls: string[];
}

export function mergedPullRequest(over: Partial<PullRequestInfo> = {}): PullRequestInfo {
  return {
    ...target,
    title: "Shorter ticket summaries",
    author: "octocat",
    draft: false,
    state: "closed",
    merged: true,
    mergeCommitSha: MERGE_SHA,
    mergedBy: "hubot",
    htmlUrl: "https://github.com/acme/prompts/pull/7",
    labels: [],
    base: { ref: "main", sha: BASE_SHA, repo: { owner: "acme", repo: "prompts" } },
    head: { ref: "shorter", sha: HEAD_SHA, repo: { owner: "acme", repo: "prompts" } },
    ...over,
  };
}

export function checkRun(name: string, conclusion: CheckRun["conclusion"], summary = "", status: CheckRun["status"] = "completed"): CheckRun {
  return {
    id: Math.floor(Math.random() * 1e6),
    name,
    headSha: HEAD_SHA,
    status,
    conclusion,
    htmlUrl: `https://github.com/acme/prompts/runs/${name === "promptops/eval" ? 101 : 202}`,
    output: { title: name, summary },
  };
}

export function approval(user: string, at = "2024-05-01T10:00:00Z", state: Review["state"] = "APPROVED"): Review {
  return { id: Math.floor(Math.random() * 1e6), user, state, commitId: HEAD_SHA, submittedAt: at };
}

export function fakeGitHub(init: Partial<FakeGitHubState> & Pick<FakeGitHubState, "commits" | "files">): { port: GitHubPort; state: FakeGitHubState } {
  const state: FakeGitHubState = {
    pr: mergedPullRequest(),
    checkRuns: [],
    reviews: [],
    tags: [],
    comments: [],
    releases: [],
    refuse: new Map(),
    calls: [],
    ...init,
  };
  let nextId = 1000;
  const commit = (sha: string) => {
    const files = state.commits.get(sha);
    if (!files) throw new Error(`no commit ${sha}`);
    return files;
  };
  const unused = (name: string) => () => {
    throw new Error(`${name} is not expected in tagging`);
  };
  const port: GitHubPort = {
    async getPullRequest() {
      state.calls.push("getPullRequest");
      return structuredClone(state.pr);
    },
    async listPullRequestFiles() {
      state.calls.push("listPullRequestFiles");
      return { files: state.files, truncated: false };
    },
    async listTree(_repo, sha) {
      state.calls.push(`listTree ${sha.slice(0, 1)}`);
      return Object.keys(commit(sha)).sort();
    },
    async readFiles(_repo, files) {
      state.calls.push("readFiles");
      const out = new Map<string, FileBlob>();
      for (const f of files) {
        const text = commit(f.sha)[f.path];
        out.set(`${f.sha}:${f.path}`, text === undefined ? { kind: "missing" } : blobFromBytes(new TextEncoder().encode(text)));
      }
      return out;
    },
    async editComment(_pr, marker, body) {
      state.calls.push("editComment");
      const existing = state.comments.find((c) => c.body.includes(marker));
      if (!existing) return undefined;
      existing.body = body;
      return { id: existing.id };
    },
    async upsertComment(_pr, marker, body) {
      state.calls.push("upsertComment");
      const existing = state.comments.find((c) => c.body.includes(marker));
      if (existing) {
        existing.body = body;
        return { id: existing.id, created: false };
      }
      const id = nextId++;
      state.comments.push({ id, body });
      return { id, created: true };
    },
    listMergedPullRequestsForCommit: unused("listMergedPullRequestsForCommit"),
    createComment: unused("createComment"),
    createCheckRun: unused("createCheckRun"),
    updateCheckRun: unused("updateCheckRun"),
    async listCheckRuns(_repo, sha, name) {
      state.calls.push(`listCheckRuns ${name}`);
      return state.checkRuns.filter((r) => r.headSha === sha && r.name === name);
    },
    requestReviewers: unused("requestReviewers"),
    listRequestedReviewers: unused("listRequestedReviewers"),
    async listReviews() {
      state.calls.push("listReviews");
      return state.reviews;
    },
    isTeamMember: unused("isTeamMember"),
    getPermission: unused("getPermission"),
    async getTag(_repo, name) {
      state.calls.push(`getTag ${name}`);
      return state.tags.find((t) => t.name === name) ?? null;
    },
    async listTags(_repo, prefix) {
      state.calls.push(`listTags ${prefix}`);
      return state.tags.filter((t) => t.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
    },
    async createAnnotatedTag(_repo, input) {
      state.calls.push(`createAnnotatedTag ${input.name}`);
      const refusal = state.refuse.get(input.name);
      if (refusal) throw Object.assign(new Error(refusal), { status: 403, response: { data: { message: refusal } } });
      state.beforeCreateRef?.(input.name);
      if (state.tags.some((t) => t.name === input.name)) throw new TagExistsError(input.name);
      const tag: TagRef = { name: input.name, commitSha: input.commitSha, tagSha: `t${nextId++}`, message: input.message };
      state.tags.push(tag);
      return tag;
    },
    async createRelease(_repo, input) {
      state.calls.push(`createRelease ${input.tag}`);
      state.releases.push(input);
      return { htmlUrl: `https://github.com/acme/prompts/releases/tag/${input.tag}` };
    },
    // Tagging never reads branches or issues: a call is a bug the test should see.
    getDefaultBranch: unexpected("getDefaultBranch"),
    listOpenIssues: unexpected("listOpenIssues"),
    createIssue: unexpected("createIssue"),
    updateIssue: unexpected("updateIssue"),
  };
  return { port, state };
}

function unexpected(name: string): () => never {
  return () => {
    throw new Error(`unexpected GitHub call: ${name}`);
  };
}

export const quietLog = { info() {}, warn() {}, error() {}, debug() {} };

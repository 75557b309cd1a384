import nock from "nock";
import { clipCommentBody } from "../../src/github/sticky-comment.js";
import { API, pr, testPort, useNock } from "./helpers.js";

// The fake thread's routes persist and may go unused; drop them before useNock checks for
// declared-but-unmade requests (afterEach hooks run in declaration order).
afterEach(() => nock.cleanAll());
useNock();

const MARKER = "<!-- promptops:review -->";
const commentsPath = "/repos/Codertocat/Hello-World/issues/2/comments";

interface FakeComment {
  id: number;
  body: string;
  created_at: string;
  user?: { login: string; type: string };
  performed_via_github_app?: { id: number; slug: string } | null;
}

/** What GitHub records on a comment written with the App's installation token (app id 123). */
const BOT = { user: { login: "promptops[bot]", type: "Bot" }, performed_via_github_app: { id: 123, slug: "promptops" } };
const identity = { appId: 123 };
const ours = (c: Omit<FakeComment, "user" | "performed_via_github_app">): FakeComment => ({ ...c, ...BOT });

/** A pull request's comment thread held in memory, served over the REST routes the port uses. */
function fakeThread(initial: FakeComment[] = []) {
  const comments = [...initial];
  const calls: string[] = [];
  let nextId = 100;
  let clock = 0;
  nock(API)
    .persist()
    .get(commentsPath)
    .query(true)
    .reply(() => {
      calls.push("list");
      return [200, comments.map((c) => ({ ...c }))];
    })
    .post(commentsPath)
    .reply((_uri, body) => {
      const comment = { id: nextId++, body: (body as { body: string }).body, created_at: `2026-01-01T00:00:${String(10 + clock++)}Z`, ...BOT };
      comments.push(comment);
      calls.push(`create ${comment.id}`);
      return [201, comment];
    })
    .patch(/\/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+$/)
    .reply((uri, body) => {
      const id = Number(uri.split("/").pop());
      const comment = comments.find((c) => c.id === id);
      calls.push(`update ${id}`);
      if (!comment) return [404, { message: "Not Found" }];
      comment.body = (body as { body: string }).body;
      return [200, comment];
    })
    .delete(/\/repos\/Codertocat\/Hello-World\/issues\/comments\/\d+$/)
    .reply((uri) => {
      const id = Number(uri.split("/").pop());
      const index = comments.findIndex((c) => c.id === id);
      calls.push(`delete ${id}`);
      if (index < 0) return [404, { message: "Not Found" }];
      comments.splice(index, 1);
      return [204, ""];
    });
  return { comments, calls };
}

describe("upsertComment", () => {
  it("creates the comment once, then edits it in place", async () => {
    const thread = fakeThread([{ id: 1, body: "LGTM", created_at: "2026-01-01T00:00:00Z" }]);
    const port = testPort({ identity });

    const first = await port.upsertComment(pr, MARKER, `${MARKER}\nscore 0.8`);
    const second = await port.upsertComment(pr, MARKER, `${MARKER}\nscore 0.9`);

    expect(first).toEqual({ id: 100, created: true });
    expect(second).toEqual({ id: 100, created: false });
    expect(thread.calls).toEqual(["list", "create 100", "list", "list", "update 100"]);
    expect(thread.comments.map((c) => c.body)).toEqual(["LGTM", `${MARKER}\nscore 0.9`]);
  });

  it("does not write when the body is unchanged", async () => {
    const thread = fakeThread([ours({ id: 7, body: `${MARKER}\nsame`, created_at: "2026-01-01T00:00:00Z" })]);
    expect(await testPort({ identity }).upsertComment(pr, MARKER, `${MARKER}\nsame`)).toEqual({ id: 7, created: false });
    expect(thread.calls).toEqual(["list"]);
  });

  it("leaves one comment when two deliveries race", async () => {
    const thread = fakeThread();
    const port = testPort({ identity });

    const [a, b] = await Promise.all([
      port.upsertComment(pr, MARKER, `${MARKER}\nfrom delivery A`),
      port.upsertComment(pr, MARKER, `${MARKER}\nfrom delivery B`),
    ]);

    // Both saw no comment and created one; both then keep the older and delete the newer.
    expect(thread.calls.filter((c) => c.startsWith("create"))).toEqual(["create 100", "create 101"]);
    expect(thread.calls).toContain("delete 101");
    expect(thread.comments).toHaveLength(1);
    expect(thread.comments[0].id).toBe(100);
    expect(a.id).toBe(100);
    expect(b.id).toBe(100);
    expect([a.created, b.created].sort()).toEqual([false, true]);
  });

  it("the losing racer moves its body onto the older comment and deletes its own", async () => {
    // The other delivery's comment (50) appears between our list and our create.
    const calls: string[] = [];
    nock(API)
      .get(commentsPath)
      .query(true)
      .reply(200, [])
      .post(commentsPath, { body: `${MARKER}\nmine` })
      .reply(201, ours({ id: 51, body: `${MARKER}\nmine`, created_at: "2026-01-01T00:00:02Z" }))
      .get(commentsPath)
      .query(true)
      .reply(200, [
        ours({ id: 50, body: `${MARKER}\ntheirs`, created_at: "2026-01-01T00:00:01Z" }),
        ours({ id: 51, body: `${MARKER}\nmine`, created_at: "2026-01-01T00:00:02Z" }),
      ])
      .patch("/repos/Codertocat/Hello-World/issues/comments/50", { body: `${MARKER}\nmine` })
      .reply(200, () => (calls.push("update 50"), { id: 50 }))
      // The other racer may have deleted it already: a 404 is fine.
      .delete("/repos/Codertocat/Hello-World/issues/comments/51")
      .reply(404, { message: "Not Found" });

    expect(await testPort({ identity }).upsertComment(pr, MARKER, `${MARKER}\nmine`)).toEqual({ id: 50, created: false });
    expect(calls).toEqual(["update 50"]);
  });

  it("cleans up duplicates an earlier race left behind", async () => {
    const thread = fakeThread([
      ours({ id: 3, body: `${MARKER}\nold`, created_at: "2026-01-01T00:00:00Z" }),
      ours({ id: 4, body: `${MARKER}\nold too`, created_at: "2026-01-01T00:00:01Z" }),
    ]);
    expect(await testPort({ identity }).upsertComment(pr, MARKER, `${MARKER}\nnew`)).toEqual({ id: 3, created: false });
    expect(thread.calls).toEqual(["list", "update 3", "delete 4"]);
  });
});

describe("comments written by someone else", () => {
  const human = { user: { login: "octocat", type: "User" }, performed_via_github_app: null };

  it("a person quoting the marker is never edited nor deleted; ours is created beside it", async () => {
    const quote = `Why does the bot write ${MARKER} in its comments?`;
    const thread = fakeThread([{ id: 5, body: quote, created_at: "2026-01-01T00:00:00Z", ...human }]);
    const port = testPort({ identity });

    expect(await port.upsertComment(pr, MARKER, `${MARKER}\nscore 0.8`)).toEqual({ id: 100, created: true });
    expect(await port.upsertComment(pr, MARKER, `${MARKER}\nscore 0.9`)).toEqual({ id: 100, created: false });

    expect(thread.calls).toEqual(["list", "create 100", "list", "list", "update 100"]);
    expect(thread.comments.map((c) => [c.id, c.body])).toEqual([
      [5, quote],
      [100, `${MARKER}\nscore 0.9`],
    ]);
  });

  it("another app's comment with the marker is not ours either, though its author is a bot", async () => {
    const other = { user: { login: "copycat[bot]", type: "Bot" }, performed_via_github_app: { id: 999, slug: "copycat" } };
    const thread = fakeThread([{ id: 6, body: `${MARKER}\nfake results`, created_at: "2026-01-01T00:00:00Z", ...other }]);
    await testPort({ identity }).upsertComment(pr, MARKER, `${MARKER}\nreal`);
    expect(thread.calls).toEqual(["list", "create 100", "list"]);
    expect(thread.comments.find((c) => c.id === 6)!.body).toBe(`${MARKER}\nfake results`);
  });

  it("a host known by its login (a workflow's GITHUB_TOKEN) finds its comment by author", async () => {
    const actions = { user: { login: "github-actions[bot]", type: "Bot" }, performed_via_github_app: { id: 15368, slug: "github-actions" } };
    const thread = fakeThread([
      { id: 8, body: `${MARKER}\nquoted`, created_at: "2026-01-01T00:00:00Z", ...human },
      { id: 9, body: `${MARKER}\nold`, created_at: "2026-01-01T00:00:01Z", ...actions },
    ]);
    expect(await testPort({ identity: { login: "github-actions[bot]" } }).upsertComment(pr, MARKER, `${MARKER}\nnew`)).toEqual({ id: 9, created: false });
    expect(thread.calls).toEqual(["list", "update 9"]);
  });

  it("without an identity, only comments this port created are recognised", async () => {
    const thread = fakeThread([{ id: 5, body: MARKER, created_at: "2026-01-01T00:00:00Z", ...human }]);
    const port = testPort();
    await port.upsertComment(pr, MARKER, `${MARKER}\na`);
    await port.upsertComment(pr, MARKER, `${MARKER}\nb`);
    expect(thread.calls).toEqual(["list", "create 100", "list", "list", "update 100"]);
    expect(thread.comments.find((c) => c.id === 5)!.body).toBe(MARKER);
  });
});

describe("editComment", () => {
  it("edits this host's comment, never a person's, and creates none", async () => {
    const thread = fakeThread([
      { id: 5, body: `${MARKER} quoted`, created_at: "2026-01-01T00:00:00Z", user: { login: "octocat", type: "User" }, performed_via_github_app: null },
    ]);
    const port = testPort({ identity });
    expect(await port.editComment(pr, MARKER, `${MARKER}\nno longer applies`)).toBeUndefined();
    thread.comments.push(ours({ id: 6, body: `${MARKER}\nold review`, created_at: "2026-01-01T00:00:01Z" }));
    expect(await port.editComment(pr, MARKER, `${MARKER}\nno longer applies`)).toEqual({ id: 6 });
    expect(thread.calls).toEqual(["list", "list", "update 6"]);
    expect(thread.comments.map((c) => c.body)).toEqual([`${MARKER} quoted`, `${MARKER}\nno longer applies`]);
  });
});

describe("createComment", () => {
  it("posts a new comment every time", async () => {
    nock(API).post(commentsPath, { body: "tagged v1.3.0" }).reply(201, { id: 9, body: "tagged v1.3.0" });
    expect(await testPort({ identity }).createComment(pr, "tagged v1.3.0")).toEqual({ id: 9 });
  });
});

describe("comment bodies over GitHub's 65,536-byte limit", () => {
  it("are cut with a note, keeping the marker so the comment is found again", async () => {
    const thread = fakeThread();
    const long = `${"x".repeat(70_000)}\n${MARKER}`;
    await testPort({ identity }).upsertComment(pr, MARKER, long);
    const body = thread.comments[0]!.body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/truncated to fit GitHub's 65,536-byte comment limit/);
    expect(body.endsWith(MARKER)).toBe(true);
    // The next delivery with the same oversized body finds it and writes nothing.
    thread.calls.length = 0;
    await testPort({ identity }).upsertComment(pr, MARKER, long);
    expect(thread.calls).toEqual(["list"]);
  });

  it("leave a marker at the top alone and never split a surrogate pair", () => {
    const top = clipCommentBody(`${MARKER}\n${"😀".repeat(40_000)}`, MARKER);
    expect(Buffer.byteLength(top)).toBeLessThanOrEqual(65_536);
    expect(top.startsWith(MARKER)).toBe(true);
    expect(top.split(MARKER)).toHaveLength(2);
    expect(top).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    expect(clipCommentBody("short", MARKER)).toBe("short");
  });

  it("are measured in bytes: 30,000 Japanese characters (90,000 bytes) are cut on a character boundary", async () => {
    const thread = fakeThread();
    await testPort({ identity }).upsertComment(pr, MARKER, `${MARKER}\n${"日本語の回答".repeat(5_000)}`);
    const body = thread.comments[0]!.body;
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(65_536);
    expect(Buffer.byteLength(body)).toBeGreaterThan(65_000);
    expect(body).not.toContain("\ufffd");
    expect(body).toMatch(/truncated to fit/);
  });

  it("are cut on createComment too", async () => {
    let sent = "";
    nock(API)
      .post(commentsPath)
      .reply(201, (_uri, body) => ((sent = (body as { body: string }).body), { id: 1, body: sent, created_at: "2026-01-01T00:00:00Z" }));
    await testPort({ identity }).createComment(pr, "y".repeat(100_000));
    expect(Buffer.byteLength(sent)).toBeLessThanOrEqual(65_536);
    expect(sent).toMatch(/truncated/);
  });
});

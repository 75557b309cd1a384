import nock from "nock";
import type { CheckAnnotation } from "../../src/github/port.js";
import { API, repo, testPort, useNock } from "./helpers.js";

useNock();

const SHA = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const annotations = (n: number): CheckAnnotation[] =>
  Array.from({ length: n }, (_, i) => ({
    path: "prompts/a.prompt.yml",
    start_line: i + 1,
    end_line: i + 1,
    annotation_level: "warning",
    message: `score dropped on case ${i + 1}`,
  }));

const run = (extra: Record<string, unknown> = {}) => ({
  id: 42,
  name: "PromptOps",
  head_sha: SHA,
  status: "completed",
  conclusion: "failure",
  html_url: "https://github.com/Codertocat/Hello-World/runs/42",
  external_id: "promptops:1",
  output: { title: "2 prompts regressed", summary: "summary", text: null },
  ...extra,
});

interface SentOutput {
  title: string;
  summary: string;
  text?: string;
  annotations?: CheckAnnotation[];
}

describe("check runs", () => {
  it("creates with the first 50 annotations and adds the rest 50 per update", async () => {
    const bodies: Record<string, unknown>[] = [];
    const record = (status: number) => (_uri: string, body: unknown) => (bodies.push(body as Record<string, unknown>), [status, run()] as [number, unknown]);
    nock(API)
      .post("/repos/Codertocat/Hello-World/check-runs")
      .reply(record(201))
      .patch("/repos/Codertocat/Hello-World/check-runs/42")
      .times(2)
      .reply(record(200));

    const result = await testPort().createCheckRun(repo, {
      name: "PromptOps",
      headSha: SHA,
      status: "completed",
      conclusion: "failure",
      externalId: "promptops:1",
      detailsUrl: "https://example.test/run",
      output: { title: "2 prompts regressed", summary: "summary", text: "details", annotations: annotations(120) },
    });

    expect(bodies).toHaveLength(3);
    expect(bodies[0]).toMatchObject({
      name: "PromptOps",
      head_sha: SHA,
      status: "completed",
      conclusion: "failure",
      external_id: "promptops:1",
      details_url: "https://example.test/run",
    });
    const outputs = bodies.map((b) => b.output as SentOutput);
    expect(outputs.map((o) => o.annotations!.length)).toEqual([50, 50, 20]);
    expect(outputs.map((o) => o.annotations![0].start_line)).toEqual([1, 51, 101]);
    for (const o of outputs) expect(o).toMatchObject({ title: "2 prompts regressed", summary: "summary", text: "details" });
    // Follow-up updates only add annotations; they do not resend the run's state.
    expect(Object.keys(bodies[1]).sort()).toEqual(["output"]);
    expect(result).toEqual({
      id: 42,
      name: "PromptOps",
      headSha: SHA,
      status: "completed",
      conclusion: "failure",
      htmlUrl: "https://github.com/Codertocat/Hello-World/runs/42",
      externalId: "promptops:1",
      output: { title: "2 prompts regressed", summary: "summary", text: null },
    });
  });

  it("sends no annotations key without annotations, and clips an oversized summary", async () => {
    let sent: SentOutput | undefined;
    nock(API)
      .patch("/repos/Codertocat/Hello-World/check-runs/42")
      .reply(200, (_uri, body) => ((sent = (body as { output: SentOutput }).output), run()));
    const summary = "a".repeat(65_534) + "😀" + "tail";
    await testPort().updateCheckRun(repo, 42, { status: "completed", conclusion: "success", output: { title: "ok", summary } });
    expect(sent!.annotations).toBeUndefined();
    expect(sent!.summary.length).toBeLessThanOrEqual(65_535);
    expect(sent!.summary).toMatch(/truncated/);
    expect(sent!.summary.startsWith("a".repeat(60_000))).toBe(true);
  });

  it("measures summary, text and annotation fields in UTF-8 bytes, cutting on character boundaries", async () => {
    let sent: (SentOutput & { text?: string; annotations?: { title?: string; message: string; raw_details?: string }[] }) | undefined;
    nock(API)
      .patch("/repos/Codertocat/Hello-World/check-runs/42")
      .reply(200, (_uri, body) => ((sent = (body as { output: NonNullable<typeof sent> }).output), run()));
    // 30,000 characters: under the limit in characters, 90,000 bytes.
    const japanese = "日本語の回答です。".repeat(3_334).slice(0, 30_000);
    await testPort().updateCheckRun(repo, 42, {
      status: "completed",
      conclusion: "failure",
      output: {
        title: "t",
        summary: japanese,
        text: `${"😀".repeat(20_000)}`,
        annotations: [{ path: "a.prompt.yml", start_line: 1, end_line: 1, annotation_level: "failure", title: "題".repeat(200), message: japanese, raw_details: japanese }],
      },
    });
    const bytes = (t: string | undefined) => Buffer.byteLength(t ?? "");
    expect(bytes(sent!.summary)).toBeLessThanOrEqual(65_535);
    expect(bytes(sent!.text)).toBeLessThanOrEqual(65_535);
    expect(sent!.summary).toMatch(/truncated to fit GitHub's 65,535-byte limit/);
    expect(sent!.text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    const [annotation] = sent!.annotations!;
    expect(bytes(annotation!.title)).toBeLessThanOrEqual(255);
    expect(annotation!.title!.endsWith("…")).toBe(true);
    expect(bytes(annotation!.message)).toBeLessThanOrEqual(65_535);
    expect(bytes(annotation!.raw_details)).toBeLessThanOrEqual(65_535);
    expect(sent!.summary).not.toContain("\ufffd");
  });

  it("updates state without an output", async () => {
    nock(API)
      .patch("/repos/Codertocat/Hello-World/check-runs/42", { status: "in_progress" })
      .reply(200, run({ status: "in_progress", conclusion: null }));
    const result = await testPort().updateCheckRun(repo, 42, { status: "in_progress" });
    expect(result.status).toBe("in_progress");
    expect(result.conclusion).toBeNull();
  });

  it("lists the runs with a name on a commit, newest first", async () => {
    nock(API)
      .get(`/repos/Codertocat/Hello-World/commits/${SHA}/check-runs`)
      .query({ check_name: "PromptOps", filter: "all", per_page: "100" })
      .reply(200, {
        total_count: 3,
        check_runs: [
          run({ id: 1, started_at: "2026-01-01T00:00:00Z" }),
          run({ id: 2, started_at: "2026-01-03T00:00:00Z" }),
          // A higher id is not newer: the start time decides.
          run({ id: 3, started_at: "2026-01-02T00:00:00Z" }),
        ],
      });
    const runs = await testPort().listCheckRuns(repo, SHA, "PromptOps");
    expect(runs.map((r) => r.id)).toEqual([2, 3, 1]);
  });

  it("sends columns only on single-line annotations, as GitHub requires", async () => {
    let sent: SentOutput | undefined;
    nock(API)
      .patch("/repos/Codertocat/Hello-World/check-runs/42")
      .reply(200, (_uri, body) => ((sent = (body as { output: SentOutput }).output), run()));
    const spanning: CheckAnnotation = { path: "p.yml", start_line: 3, end_line: 5, start_column: 2, end_column: 9, annotation_level: "failure", message: "m" };
    const single: CheckAnnotation = { ...spanning, start_line: 4, end_line: 4 };
    await testPort().updateCheckRun(repo, 42, { output: { title: "t", summary: "s", annotations: [spanning, single] } });
    expect(sent!.annotations).toEqual([
      { path: "p.yml", start_line: 3, end_line: 5, annotation_level: "failure", message: "m" },
      { path: "p.yml", start_line: 4, end_line: 4, start_column: 2, end_column: 9, annotation_level: "failure", message: "m" },
    ]);
  });

  it("refuses to complete a run without a conclusion, and completes one given a conclusion", async () => {
    await expect(testPort().createCheckRun(repo, { name: "PromptOps", headSha: SHA, status: "completed" })).rejects.toThrow(
      "A check run (PromptOps) cannot be completed without a conclusion.",
    );
    await expect(testPort().updateCheckRun(repo, 42, { status: "completed" })).rejects.toThrow(/without a conclusion/);
    nock(API).patch("/repos/Codertocat/Hello-World/check-runs/42", { status: "completed", conclusion: "neutral" }).reply(200, run());
    await testPort().updateCheckRun(repo, 42, { status: "in_progress", conclusion: "neutral" });
  });

  it("reads the app that made each run", async () => {
    nock(API)
      .get(`/repos/Codertocat/Hello-World/commits/${SHA}/check-runs`)
      .query(true)
      .reply(200, { total_count: 2, check_runs: [run({ id: 1, app: { id: 7 } }), run({ id: 2, app: null })] });
    const runs = await testPort().listCheckRuns(repo, SHA, "PromptOps");
    expect(runs.map((r) => [r.id, r.appId])).toEqual([
      [2, undefined],
      [1, 7],
    ]);
  });
});

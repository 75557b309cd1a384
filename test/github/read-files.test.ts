import nock from "nock";
import type { FileAt } from "../../src/github/port.js";
import { API, repo, testPort, useNock } from "./helpers.js";

useNock();

const BASE = "1111111111111111111111111111111111111111";
const HEAD = "2222222222222222222222222222222222222222";

interface GraphqlBody {
  query: string;
  variables: Record<string, string>;
}

/** Answers each GraphQL POST from `answer` and records what was sent. */
function graphqlServer(answer: (expression: string) => unknown, times = 1): GraphqlBody[] {
  const sent: GraphqlBody[] = [];
  nock(API)
    .post("/graphql")
    .times(times)
    .reply(200, (_uri, body) => {
      const { query, variables } = body as GraphqlBody;
      sent.push({ query, variables });
      const repository: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(variables)) {
        if (/^e\d+$/.test(name)) repository[`f${name.slice(1)}`] = answer(value);
      }
      return { data: { repository } };
    });
  return sent;
}

const blob = (text: string | null, extra: Record<string, unknown> = {}) => ({
  __typename: "Blob",
  text,
  isBinary: false,
  isTruncated: false,
  byteSize: text === null ? 0 : Buffer.byteLength(text),
  ...extra,
});

describe("readFiles", () => {
  it("reads files at two commits in one query, with paths only in variables", async () => {
    const tricky = 'prompts/say "hi" {x}.prompt.yml';
    const files: FileAt[] = [
      { sha: BASE, path: "prompts/a.prompt.yml" },
      { sha: HEAD, path: "prompts/a.prompt.yml" },
      { sha: HEAD, path: tricky },
    ];
    const sent = graphqlServer((expression) => (expression === `${BASE}:prompts/a.prompt.yml` ? blob("old") : blob(`new ${expression}`)));

    const result = await testPort().readFiles(repo, files);

    expect(sent).toHaveLength(1);
    expect(sent[0].variables).toEqual({
      owner: "Codertocat",
      name: "Hello-World",
      e0: `${BASE}:prompts/a.prompt.yml`,
      e1: `${HEAD}:prompts/a.prompt.yml`,
      e2: `${HEAD}:${tricky}`,
    });
    expect(sent[0].query).not.toContain("prompts/");
    expect(sent[0].query).not.toContain(HEAD);
    expect(result.get(`${BASE}:prompts/a.prompt.yml`)).toEqual({ kind: "text", text: "old", size: 3 });
    expect(result.get(`${HEAD}:${tricky}`)).toEqual({ kind: "text", text: `new ${HEAD}:${tricky}`, size: Buffer.byteLength(`new ${HEAD}:${tricky}`) });
  });

  it("classifies missing, directories, binary, too large, truncated and BOM-prefixed files", async () => {
    const answers: Record<string, unknown> = {
      [`${HEAD}:gone.txt`]: null,
      [`${HEAD}:prompts`]: { __typename: "Tree" },
      [`${HEAD}:logo.png`]: blob(null, { isBinary: true, byteSize: 512 }),
      [`${HEAD}:nul.txt`]: blob("a\u0000b"),
      [`${HEAD}:huge.txt`]: blob("x", { byteSize: 5_000_000 }),
      [`${HEAD}:cut.txt`]: blob("partial", { isTruncated: true, byteSize: 900 }),
      [`${HEAD}:bom.txt`]: blob("\ufeffhello", { byteSize: 8 }),
      [`${HEAD}:mid.txt`]: blob("y".repeat(10), { byteSize: 2000 }),
    };
    graphqlServer((expression) => answers[expression]);
    const paths = Object.keys(answers).map((k) => k.slice(HEAD.length + 1));

    const result = await testPort({ maxFileBytes: 1000 }).readFiles(repo, paths.map((path) => ({ sha: HEAD, path })));

    expect(Object.fromEntries(result)).toEqual({
      [`${HEAD}:gone.txt`]: { kind: "missing" },
      [`${HEAD}:prompts`]: { kind: "missing" },
      [`${HEAD}:logo.png`]: { kind: "binary", size: 512 },
      [`${HEAD}:nul.txt`]: { kind: "binary", size: 3 },
      [`${HEAD}:huge.txt`]: { kind: "too-large", size: 5_000_000 },
      [`${HEAD}:cut.txt`]: { kind: "too-large", size: 900 },
      [`${HEAD}:bom.txt`]: { kind: "text", text: "hello", size: 8 },
      [`${HEAD}:mid.txt`]: { kind: "too-large", size: 2000 },
    });
  });

  it("uses 1 MiB as the default size limit", async () => {
    graphqlServer(() => blob("z", { byteSize: 1024 * 1024 + 1 }));
    const result = await testPort().readFiles(repo, [{ sha: HEAD, path: "big.yml" }]);
    expect(result.get(`${HEAD}:big.yml`)?.kind).toBe("too-large");
  });

  it("sends 250 files as exactly one query and 600 as three", async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => ({ sha: HEAD, path: `p/${i}.yml` }));
    const one = graphqlServer((e) => blob(e));
    expect((await testPort().readFiles(repo, many(250))).size).toBe(250);
    expect(one).toHaveLength(1);

    const three = graphqlServer((e) => blob(e), 3);
    const result = await testPort().readFiles(repo, many(600));
    expect(three.map((q) => Object.keys(q.variables).length - 2)).toEqual([250, 250, 100]);
    expect(result.size).toBe(600);
    expect(result.get(`${HEAD}:p/599.yml`)).toEqual({ kind: "text", text: `${HEAD}:p/599.yml`, size: 50 });
  });

  it("asks once for a file requested twice, and not at all for none", async () => {
    const sent = graphqlServer((e) => blob(e));
    const result = await testPort().readFiles(repo, [
      { sha: HEAD, path: "a.yml" },
      { sha: HEAD, path: "a.yml" },
    ]);
    expect(Object.keys(sent[0].variables)).toEqual(["owner", "name", "e0"]);
    expect([...result.keys()]).toEqual([`${HEAD}:a.yml`]);
    expect((await testPort().readFiles(repo, [])).size).toBe(0);
  });

  it("keeps the answered files when GitHub adds errors for some objects", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, {
        data: { repository: { f0: blob("ok"), f1: null } },
        errors: [{ type: "NOT_FOUND", path: ["repository", "f1"], message: "Could not resolve to a Blob" }],
      });
    const warnings: string[] = [];
    const result = await testPort({ logger: { warn: (m) => warnings.push(m) } }).readFiles(repo, [
      { sha: HEAD, path: "a.yml" },
      { sha: "bad", path: "b.yml" },
    ]);
    expect(result.get(`${HEAD}:a.yml`)).toEqual({ kind: "text", text: "ok", size: 2 });
    expect(result.get("bad:b.yml")).toEqual({ kind: "missing" });
    expect(warnings).toHaveLength(1);
  });

  it("fails clearly when the repository cannot be read", async () => {
    nock(API)
      .post("/graphql")
      .reply(200, { data: { repository: null }, errors: [{ type: "NOT_FOUND", message: "Could not resolve to a Repository with the name 'Codertocat/Hello-World'." }] });
    await expect(testPort().readFiles(repo, [{ sha: HEAD, path: "a.yml" }])).rejects.toThrow(/Could not resolve to a Repository/);
  });
});

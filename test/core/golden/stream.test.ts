// JSON Lines golden sets read from the working tree are streamed: parsed chunk by chunk as the
// file is read, never held whole. Whatever the chunks, the result must be what reading the whole
// file gives: the same cases, lines, problems, and the same refusals of files that are not text.

import { rmSync } from "node:fs";
import { gitTree, workingTree } from "../../../src/cli/git.js";
import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { blobFromBytes, memoryTree, type TreeReader } from "../../../src/core/files.js";
import { parseGoldenFile, parseGoldenStream } from "../../../src/core/golden/parse.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";
import { tempDir, tempRepo, writeFiles } from "../../cli/git-fixture.js";

const encode = (text: string) => new TextEncoder().encode(text);

/** The bytes in chunks of `size`, which cut through lines, CRLF pairs and multi-byte characters. */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The same, through one buffer overwritten for every chunk, as the working tree reads a file. */
async function* reused(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  const buffer = new Uint8Array(size);
  for (let i = 0; i < bytes.length; i += size) {
    const chunk = bytes.subarray(i, i + size);
    buffer.fill(0x7b).set(chunk);
    yield buffer.subarray(0, chunk.length);
  }
}

const sample = [
  '\ufeff{"id": "a", "vars": {"ticket": "café ☕ 🚀"}}',
  "",
  '{"ticket": "oops", }',
  '{"id": "b", "vars": {"ticket": "second"}}',
  '{"id": "a", "vars": {"ticket": "again"}}',
  "   ",
  '{"ticket": "last line, no newline"}',
].join("\r\n");

describe("streamed JSON Lines golden sets", () => {
  it("give the cases and problems of the whole file, however the chunks cut it", async () => {
    for (const text of [sample, sample.replace(/\r\n/g, "\n"), sample.replace(/\r\n/g, "\r"), `${sample}\r\n`]) {
      const whole = parseGoldenFile("g.jsonl", text);
      for (const size of [1, 2, 3, 5, 64, 1 << 16]) {
        const streamed = await parseGoldenStream("g.jsonl", chunked(encode(text), size));
        if ("unreadable" in streamed) throw new Error(`unreadable at chunk size ${size}`);
        expect(streamed.set.slice()).toEqual(whole.set.slice());
        expect(streamed.diagnostics).toEqual(whole.diagnostics);
        const fromReused = await parseGoldenStream("g.jsonl", reused(encode(text), size));
        expect("set" in fromReused && fromReused.set.slice()).toEqual(whole.set.slice());
      }
    }
  });

  it("give CSV files the records and problems of the whole file, across stretches and quoted lines", async () => {
    const row = (i: number) =>
      i % 97 === 5
        ? `r${i},"multi\nline ""${i}"", with comma",calm`
        : i % 331 === 7
          ? `r${i},"bad " quote,x`
          : i % 401 === 9
            ? `r${i},too,many,fields`
            : `r${i},ticket ${i} ✓,${i % 2 ? "calm" : "angry"}`;
    const body = Array.from({ length: 6000 }, (_, i) => row(i));
    const files = [
      `id,vars.ticket,tone\n${body.join("\n")}\n`,
      `\ufeffid,vars.ticket,tone\r\n${body.join("\r\n")}`,
      // A quote never closed in the middle: the rest of the file is one broken record, as read whole.
      `id,vars.ticket,tone\n${body.slice(0, 3000).join("\n")}\nr-open,"never closed,x\n${body.slice(3000).join("\n")}\n`,
      // A broken row with an odd number of quotes, then a value opened and not closed for a few
      // hundred rows: counting quotes, a cut there looks like the end of a record but is not.
      `id,vars.ticket,tone\n${body.slice(0, 3000).join("\n")}\nr-odd,"bad " quote "x,y\nr-open,"opens here,x\n${"plain,row,z\n".repeat(9000)}closes",y,z\n${body.slice(3000).join("\n")}\n`,
      // A stray quote inside an unquoted value: the quote count stays odd for the rest of the file.
      `id,vars.ticket,tone\nr-stray,the 27" monitor flickers,calm\n${body.join("\n")}\n`,
      // A quoted value spanning far more than a stretch.
      `id,vars.ticket,tone\nlong,"${"a line\n".repeat(20000)}end",calm\n${body.slice(0, 100).join("\n")}\n`,
      "a,a,b\n1,2,3\n",
      "",
    ];
    for (const text of files) {
      const whole = parseGoldenFile("g.csv", text);
      for (const size of [7, 4096]) {
        const streamed = await parseGoldenStream("g.csv", chunked(encode(text), size));
        if ("unreadable" in streamed) throw new Error("unreadable");
        expect(streamed.diagnostics).toEqual(whole.diagnostics);
        expect(streamed.set.size).toBe(whole.set.size);
        expect(streamed.set.slice()).toEqual(whole.set.slice());
      }
    }
    expect(parseGoldenFile("g.csv", files[0]!).set.size).toBeGreaterThan(5900);
    // The open quote swallows the records up to the next quote; streamed, the same ones.
    expect(parseGoldenFile("g.csv", files[2]!).set.size).toBeLessThan(parseGoldenFile("g.csv", files[0]!).set.size);
  });

  it("refuse a file with bytes that are not UTF-8 at the place a whole read names, or with a NUL byte", async () => {
    const bad = new Uint8Array([...encode('{"a": 1}\n{"b": "x'), 0xff, ...encode('"}\n{"c": 3}\n')]);
    const whole = blobFromBytes(bad, 1 << 20);
    expect(whole).toEqual({ kind: "binary", size: bad.length, invalidUtf8: { line: 2, column: 9 } });
    for (const size of [1, 4, 1024]) {
      expect(await parseGoldenStream("g.jsonl", chunked(bad, size))).toMatchObject({ unreadable: { kind: "binary", invalidUtf8: { line: 2, column: 9 } } });
    }
    const nul = encode('{"a": 1}\n{"b": "\u0000"}\n');
    expect(await parseGoldenStream("g.jsonl", chunked(nul, 3))).toEqual({ unreadable: { kind: "binary", size: nul.length } });
  });

  describe("from the working tree", () => {
    let dir: string;
    const prompt = "name: p\nmodel: openai/gpt-4o-mini\nmessages:\n  - role: user\n    content: \"{{ticket}}\"\n";
    const rows = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ id: `case-${i}`, vars: { ticket: `ticket ${i} ✓` } }));
    beforeAll(() => {
      dir = tempDir();
      writeFiles(dir, {
        "p.prompt.yml": prompt,
        "p.golden.jsonl": `\ufeff${rows.join("\r\n")}\r\n{"ticket": 1, }\r\n`,
        "q.prompt.yml": prompt,
        "q.golden.jsonl": new Uint8Array([...encode('{"ticket": "ok"}\n{"ticket": "'), 0xc3, 0x28, ...encode('"}\n')]),
      });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("are streamed, not read whole, and load as a whole read loads them", async () => {
      const tree = workingTree(dir);
      const asked: string[] = [];
      const watched: TreeReader = { ...tree, read: (paths, options) => (asked.push(...paths), tree.read(paths, options)) };
      const streamed = await loadWorkspace(watched, DEFAULT_CONFIG);
      expect(asked).not.toContain("p.golden.jsonl");

      const files = Object.fromEntries(await Promise.all(["p.prompt.yml", "q.prompt.yml"].map(async (p) => [p, prompt] as const)));
      const text = (await tree.read(["p.golden.jsonl"])).get("p.golden.jsonl")!;
      const whole = await loadWorkspace(memoryTree({ ...files, "p.golden.jsonl": text.kind === "text" ? `\ufeff${text.text}` : "" }), DEFAULT_CONFIG);
      expect(streamed.golden.get("p.prompt.yml")!.slice()).toEqual(whole.golden.get("p.prompt.yml")!.slice());
      expect(streamed.golden.get("p.prompt.yml")!.size).toBe(5000);
      const golden = (ws: typeof streamed, file: string) => ws.diagnostics.filter((d) => d.file === file);
      expect(golden(streamed, "p.golden.jsonl")).toEqual(golden(whole, "p.golden.jsonl"));
      expect(golden(streamed, "p.golden.jsonl")).toMatchObject([{ line: 5001, rule: "golden-syntax" }]);
      // Bytes that are not UTF-8: refused at their place, the other prompt's set still read.
      expect(golden(streamed, "q.golden.jsonl")).toMatchObject([{ line: 2, column: 13, rule: "golden-encoding" }]);
      expect(streamed.golden.has("q.prompt.yml")).toBe(false);
    });

    it("are streamed from a git revision too (review between refs), as a whole read gives them", async () => {
      const repo = tempRepo();
      try {
        const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `r${i}`, vars: { ticket: `t ${i}` } }));
        repo.write({ "p.prompt.yml": prompt, "p.golden.jsonl": `${rows.join("\n")}\n` });
        const first = repo.commit("first");
        repo.write({ "p.golden.jsonl": "{}\n" });
        repo.commit("second");
        const tree = gitTree(repo.dir, first);
        const asked: string[] = [];
        const ws = await loadWorkspace({ ...tree, read: (paths, options) => (asked.push(...paths), tree.read(paths, options)) }, DEFAULT_CONFIG);
        expect(asked).not.toContain("p.golden.jsonl");
        const golden = ws.golden.get("p.prompt.yml")!;
        expect(golden.size).toBe(3000);
        expect(golden.slice(2999)).toEqual([{ id: "r2999", vars: { ticket: "t 2999" }, source: { file: "p.golden.jsonl", line: 3000 } }]);
        expect(await tree.stream!("p.golden.jsonl", { maxBytes: 100 })).toMatchObject({ kind: "too-large" });
        expect(await tree.stream!("nope.jsonl")).toEqual({ kind: "missing" });
      } finally {
        repo.cleanup();
      }
    });

    it("over golden.maxBytes are refused before they are opened, with the limit and the key", async () => {
      const config = { ...DEFAULT_CONFIG, golden: { ...DEFAULT_CONFIG.golden, maxBytes: 1024 } };
      const ws = await loadWorkspace(workingTree(dir), config);
      expect(ws.diagnostics.filter((d) => d.file === "p.golden.jsonl")).toMatchObject([{ rule: "golden-too-large", message: expect.stringContaining("golden.maxBytes") }]);
      expect(await workingTree(dir).stream!("missing.jsonl")).toEqual({ kind: "missing" });
    });
  });
});

// The Actions cache service as @actions/cache speaks to it on GitHub Enterprise Server (the
// "v1" artifact cache API at ACTIONS_CACHE_URL), on 127.0.0.1: look up by keys and version,
// reserve, upload in ranged chunks, commit, download. Entries are immutable, as GitHub's are.

import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

interface Entry {
  id: number;
  key: string;
  version: string;
  chunks: { start: number; data: Buffer }[];
  committed: boolean;
  created: number;
}

export interface CacheServiceDouble {
  /** ACTIONS_CACHE_URL, with the trailing slash the runner gives it. */
  url: string;
  /** Committed entries' keys, oldest first. */
  readonly keys: string[];
  /** Every call, as `METHOD /path`. */
  readonly calls: string[];
  close(): Promise<void>;
}

export async function startCacheService(): Promise<CacheServiceDouble> {
  const entries: Entry[] = [];
  const calls: string[] = [];
  let nextId = 1;
  const archive = (e: Entry) => Buffer.concat([...e.chunks].sort((a, b) => a.start - b.start).map((c) => c.data));

  const server = createServer((req, res) => {
    void body(req).then((data) => {
      const url = new URL(req.url ?? "/", "http://cache.test");
      calls.push(`${req.method} ${url.pathname}`);
      const json = (status: number, value?: unknown) => {
        res.writeHead(status, { "content-type": "application/json" });
        res.end(value === undefined ? undefined : JSON.stringify(value));
      };
      let m: RegExpMatchArray | null;
      if (req.method === "GET" && url.pathname === "/_apis/artifactcache/cache") {
        const keys = (url.searchParams.get("keys") ?? "").split(",");
        const version = url.searchParams.get("version");
        const usable = entries.filter((e) => e.committed && e.version === version).sort((a, b) => b.created - a.created);
        // The primary key exactly, else the newest entry under each restore key in turn.
        const hit = usable.find((e) => e.key === keys[0]) ?? keys.slice(1).map((k) => usable.find((e) => e.key.startsWith(k))).find(Boolean);
        if (!hit) return json(204);
        return json(200, { cacheKey: hit.key, scope: "refs/heads/main", archiveLocation: `http://${req.headers.host}/archives/${hit.id}` });
      }
      if (req.method === "POST" && url.pathname === "/_apis/artifactcache/caches") {
        const { key, version } = JSON.parse(data.toString("utf8")) as { key: string; version: string };
        if (entries.some((e) => e.key === key && e.version === version)) return json(409, { message: `Cache already exists: ${key}` });
        const entry: Entry = { id: nextId++, key, version, chunks: [], committed: false, created: entries.length };
        entries.push(entry);
        return json(201, { cacheId: entry.id });
      }
      if ((m = url.pathname.match(/^\/_apis\/artifactcache\/caches\/(\d+)$/))) {
        const entry = entries.find((e) => e.id === Number(m![1]));
        if (!entry) return json(404, { message: "no such cache" });
        if (req.method === "PATCH") {
          const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers["content-range"] ?? "");
          if (!range) return json(400, { message: "Content-Range required" });
          entry.chunks.push({ start: Number(range[1]), data });
          return json(204);
        }
        if (req.method === "POST") {
          const { size } = JSON.parse(data.toString("utf8")) as { size: number };
          if (archive(entry).length !== size) return json(400, { message: "size mismatch" });
          entry.committed = true;
          return json(204);
        }
      }
      if (req.method === "GET" && (m = url.pathname.match(/^\/archives\/(\d+)$/))) {
        const entry = entries.find((e) => e.id === Number(m![1]));
        if (!entry) return json(404, { message: "no such archive" });
        const bytes = archive(entry);
        res.writeHead(200, { "content-type": "application/octet-stream", "content-length": String(bytes.length) });
        return res.end(bytes);
      }
      json(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    get keys() {
      return entries.filter((e) => e.committed).map((e) => e.key);
    },
    calls,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
  });
}

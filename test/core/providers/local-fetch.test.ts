import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { localFetch } from "../../../src/core/providers/local-fetch.js";

describe("localFetch", () => {
  it("sends method, headers and body over http and returns status, headers and body", async () => {
    const seen: { method?: string; auth?: string; body: string }[] = [];
    const server = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        seen.push({ method: req.method, auth: req.headers.authorization, body });
        if (req.url === "/empty") {
          res.writeHead(204).end();
          return;
        }
        res.writeHead(201, { "content-type": "application/json", "x-request-id": "r1" }).end('{"ok":true}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const fetchLocal = localFetch();
      const response = await fetchLocal(`${base}/x`, { method: "POST", headers: new Headers({ authorization: "Bearer k" }), body: "hello" });
      expect(response.status).toBe(201);
      expect(response.headers.get("x-request-id")).toBe("r1");
      expect(await response.json()).toEqual({ ok: true });
      expect((await fetchLocal(new URL(`${base}/empty`))).status).toBe(204);
      expect(seen[0]).toEqual({ method: "POST", auth: "Bearer k", body: "hello" });
    } finally {
      server.close();
    }
  });

  it("hands https and Request objects to the fallback fetch", async () => {
    const calls: unknown[] = [];
    const fallback = (async (input: unknown) => {
      calls.push(input);
      return new Response("from fallback");
    }) as typeof fetch;
    const fetchLocal = localFetch(fallback);
    expect(await (await fetchLocal("https://api.openai.com/v1/chat/completions")).text()).toBe("from fallback");
    await fetchLocal(new Request("http://127.0.0.1:1/"));
    expect(calls).toHaveLength(2);
  });

  it("rejects with an abort when the signal fires", async () => {
    const server = createServer(() => {});
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const controller = new AbortController();
      const pending = localFetch()(url, { signal: controller.signal });
      setTimeout(() => controller.abort(), 10);
      await expect(pending).rejects.toMatchObject({ name: "AbortError" });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

// A forward proxy on 127.0.0.1 that counts what passes through it: CONNECT tunnels (what
// undici's ProxyAgent opens, for http and https targets alike) and plain absolute-URI requests.

import { createServer, request as httpRequest, type IncomingMessage } from "node:http";
import { connect, type AddressInfo, type Socket } from "node:net";

export interface ProxyServer {
  /** `http://127.0.0.1:<port>`, for HTTPS_PROXY / HTTP_PROXY. */
  url: string;
  /** Every `host:port` a client asked the proxy for, one entry per tunnel or request. */
  targets: string[];
  /** Raw bytes the clients sent through, for asserting what reached the wire. */
  readonly sent: string;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** Sends every tunnel to this `host:port` whatever it asked for (a stand-in for a remote host). */
  upstream?: string;
}

export async function startProxyServer(options: ProxyOptions = {}): Promise<ProxyServer> {
  const targets: string[] = [];
  const sockets = new Set<Socket>();
  let sent = "";
  const server = createServer((req: IncomingMessage, res) => {
    // A plain proxied request: `GET http://host:port/path`.
    const url = new URL(req.url ?? "/");
    targets.push(url.host);
    const upstream = httpRequest(url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on("error", () => res.writeHead(502).end());
    req.on("data", (c: Buffer) => (sent += c.toString("utf8")));
    req.pipe(upstream);
  });
  server.on("connect", (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? "";
    targets.push(target);
    const to = options.upstream ?? target;
    const [host, port] = [to.slice(0, to.lastIndexOf(":")), Number(to.slice(to.lastIndexOf(":") + 1))];
    const upstream = connect(port, host, () => {
      client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
      if (head.length > 0) upstream.write(head);
      client.on("data", (c: Buffer) => (sent += c.toString("utf8")));
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    upstream.on("error", end);
    client.on("error", end);
    upstream.on("close", end);
    client.on("close", end);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    targets,
    get sent() {
      return sent;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// `npm start`: the app as a plain Node server (Probot's createNodeMiddleware on node:http), for
// self-hosting and local development. Settings come from Probot's environment variables.

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createNodeMiddleware, Probot, type ProbotOctokit } from "probot";
import { proxiedFetch } from "../net/proxy.js";
import { loadAppEnv, type AppEnv } from "./env.js";
import promptopsApp, { type PromptOpsAppOptions } from "./index.js";

export interface RunningServer {
  server: Server;
  /** `http://host:port`, with the port actually bound (PORT=0 picks a free one). */
  url: string;
  close(): Promise<void>;
}

export interface ServerOptions extends PromptOpsAppOptions {
  /** Tests turn off Probot's retry/throttle waits with `ProbotOctokit.defaults(...)`. */
  Octokit?: typeof ProbotOctokit;
}

export async function startServer(settings: AppEnv, options: ServerOptions = {}): Promise<RunningServer> {
  const { Octokit, ...appOptions } = options;
  // GitHub calls go through HTTPS_PROXY / NO_PROXY like the model calls (see `promptopsApp`).
  const proxied = proxiedFetch(options.env ?? process.env);
  const probot = new Probot({
    appId: settings.appId,
    privateKey: settings.privateKey,
    secret: settings.webhookSecret,
    baseUrl: settings.baseUrl,
    webhookPath: settings.webhookPath,
    // Pino knows `silent`; Probot's option type merely omits it.
    logLevel: settings.logLevel as "info",
    ...(Octokit ? { Octokit } : {}),
    ...(proxied ? { request: { fetch: proxied } } : {}),
  });
  const middleware = await createNodeMiddleware((app, fnOptions) => promptopsApp(app, { ...fnOptions, appId: settings.appId, ...appOptions }), {
    probot,
    webhooksPath: settings.webhookPath,
  });

  const server = createServer((req, res) => {
    if (req.method === "GET" && req.url === "/ping") {
      res.writeHead(200, { "content-type": "text/plain" }).end("PONG");
      return;
    }
    void middleware(req, res, () => {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not found\n");
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(settings.port, settings.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  probot.log.info(`PromptOps is listening on http://${host}:${address.port}${settings.webhookPath}`);
  return {
    server,
    url: `http://${host}:${address.port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Returns the exit code; a bad setting is one line on stderr, never a stack trace. */
export async function main(env: Record<string, string | undefined> = process.env): Promise<number> {
  const loaded = loadAppEnv(env);
  if (!loaded.ok) {
    process.stderr.write(`promptops: ${loaded.error}\n`);
    return 1;
  }
  try {
    const running = await startServer(loaded.value, { env });
    const stop = () => void running.close().finally(() => process.exit(0));
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    return 0;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const where = `${loaded.value.host ?? "*"}:${loaded.value.port}`;
    process.stderr.write(`promptops: cannot start the server on ${where}: ${code ?? (error as Error).message}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  void main().then((code) => {
    if (code !== 0) process.exit(code);
  });
}

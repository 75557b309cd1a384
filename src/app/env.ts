// Reads the self-hosted server's settings from Probot's usual environment variables, checked
// once, so a missing or malformed one is a single line for the operator rather than a stack trace.

import { readFileSync } from "node:fs";

export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
export const DEFAULT_PORT = 3000;

export interface AppEnv {
  appId: number;
  /** PEM text of the GitHub App's private key. */
  privateKey: string;
  webhookSecret: string;
  port: number;
  host?: string;
  webhookPath: string;
  logLevel: LogLevel;
  /** `https://api.github.com`, or `${GHE_PROTOCOL || "https"}://${GHE_HOST}/api/v3` as Probot builds it. */
  baseUrl: string;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; error: string };

export interface EnvIO {
  readFile(path: string): string;
}

const nodeIO: EnvIO = { readFile: (path) => readFileSync(path, "utf8") };

export function loadAppEnv(env: Record<string, string | undefined>, io: EnvIO = nodeIO): Loaded<AppEnv> {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? undefined : v;
  };
  const missing = ["APP_ID", "WEBHOOK_SECRET"].filter((name) => value(name) === undefined);
  if (value("PRIVATE_KEY") === undefined && value("PRIVATE_KEY_PATH") === undefined) missing.push("PRIVATE_KEY (or PRIVATE_KEY_PATH)");
  if (missing.length > 0) {
    return fail(`missing environment variable${missing.length > 1 ? "s" : ""} ${missing.join(", ")}; see the README's "Self-hosting" section`);
  }

  const appId = value("APP_ID")!;
  if (!/^\d+$/.test(appId)) return fail(`APP_ID must be the GitHub App's numeric id, not "${appId}"`);

  const key = readPrivateKey(value("PRIVATE_KEY"), value("PRIVATE_KEY_PATH"), io);
  if (!key.ok) return key;

  const rawPort = value("PORT");
  const port = rawPort === undefined ? DEFAULT_PORT : Number(rawPort);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return fail(`PORT must be a port number (0-65535), not "${rawPort}"`);

  const webhookPath = value("WEBHOOK_PATH") ?? DEFAULT_WEBHOOK_PATH;
  if (!webhookPath.startsWith("/")) return fail(`WEBHOOK_PATH must start with "/", not "${webhookPath}"`);

  const logLevel = (value("LOG_LEVEL") ?? "info").toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) return fail(`LOG_LEVEL must be one of ${LOG_LEVELS.join(", ")}, not "${logLevel}"`);

  const baseUrl = githubBaseUrl(value("GHE_HOST"), value("GHE_PROTOCOL"));
  if (!baseUrl.ok) return baseUrl;

  const host = value("HOST");
  return {
    ok: true,
    value: {
      appId: Number(appId),
      privateKey: key.value,
      webhookSecret: value("WEBHOOK_SECRET")!,
      port,
      ...(host !== undefined ? { host } : {}),
      webhookPath,
      logLevel: logLevel as LogLevel,
      baseUrl: baseUrl.value,
    },
  };
}

/** Probot's rule: GHE_HOST is a host (and port), GHE_PROTOCOL defaults to https. */
export function githubBaseUrl(gheHost: string | undefined, gheProtocol: string | undefined): Loaded<string> {
  if (gheHost === undefined) return { ok: true, value: "https://api.github.com" };
  const protocol = (gheProtocol ?? "https").toLowerCase();
  if (protocol !== "https" && protocol !== "http") return fail(`GHE_PROTOCOL must be https or http, not "${gheProtocol}"`);
  if (/[/\s]/.test(gheHost)) return fail(`GHE_HOST must be a host name such as github.example.com (no scheme or path), not "${gheHost}"`);
  return { ok: true, value: `${protocol}://${gheHost}/api/v3` };
}

function readPrivateKey(inline: string | undefined, path: string | undefined, io: EnvIO): Loaded<string> {
  if (inline !== undefined) {
    // Hosts without multi-line variables get `\n` escapes or base64, as Probot accepts.
    const unescaped = inline.replace(/\\n/g, "\n");
    if (isPem(unescaped)) return { ok: true, value: unescaped };
    const decoded = Buffer.from(inline, "base64").toString("utf8");
    if (isPem(decoded)) return { ok: true, value: decoded };
    return fail("PRIVATE_KEY is not a PEM private key (nor base64 of one)");
  }
  let text: string;
  try {
    text = io.readFile(path!);
  } catch (error) {
    const code = (error as { code?: string }).code;
    return fail(`PRIVATE_KEY_PATH: cannot read ${path}${code ? ` (${code})` : ""}`);
  }
  return isPem(text) ? { ok: true, value: text } : fail(`PRIVATE_KEY_PATH: ${path} is not a PEM private key`);
}

function isPem(text: string): boolean {
  return /-----BEGIN ([A-Z ]+ )?PRIVATE KEY-----[\s\S]+-----END ([A-Z ]+ )?PRIVATE KEY-----/.test(text);
}

function fail<T>(error: string): Loaded<T> {
  return { ok: false, error };
}

// A Probot instance as GitHub would drive it, with the PromptOps app loaded: app auth with an
// RSA key made at test time, Probot's own Octokit (retry and throttling off unless a test
// turns them on), models through the offline `echo` provider.

import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { memoryCache } from "../../src/core/eval/cache.js";
import promptopsApp from "../../src/app/index.js";
import { APP_ID } from "../fixtures/github/payloads.js";

let key: string | undefined;
export function privateKey(): string {
  key ??= generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  }).privateKey;
  return key;
}

export const QuietOctokit = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });

/** Bottleneck's `Group` as the throttling plugin uses it, minus the 1-3 s spacing of writes. */
const unspaced = { key: () => ({ schedule: (_options: unknown, job: (...a: unknown[]) => unknown, ...args: unknown[]) => job(...args) }) };

/** Probot's retry and throttling as in production, with waits in milliseconds instead of seconds. */
export const RetryingOctokit = ProbotOctokit.defaults({
  retry: { enabled: true, retries: 3, retryAfterBaseValue: 1 },
  throttle: { enabled: true, retryAfterBaseValue: 1, write: unspaced, notifications: unspaced, search: unspaced },
});

export interface TestApp {
  probot: Probot;
  cache: ReturnType<typeof memoryCache>;
  receive(name: string, payload: Record<string, unknown>): Promise<void>;
}

let delivery = 0;

export async function testApp(options: { Octokit?: typeof ProbotOctokit; baseUrl?: string } = {}): Promise<TestApp> {
  const probot = new Probot({
    appId: APP_ID,
    privateKey: privateKey(),
    logLevel: "fatal",
    Octokit: options.Octokit ?? QuietOctokit,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const cache = memoryCache();
  await probot.load((app, fnOptions) => promptopsApp(app, { ...fnOptions, env: { APP_ID: String(APP_ID) }, cache }));
  return {
    probot,
    cache,
    receive: (name, payload) => probot.receive({ id: `delivery-${++delivery}`, name, payload } as Parameters<Probot["receive"]>[0]),
  };
}

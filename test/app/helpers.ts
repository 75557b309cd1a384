// A Probot instance as GitHub would drive it, with the PromptOps app loaded: app auth with an
// RSA key made at test time, Probot's own Octokit (retry and throttling off unless a test
// turns them on), models through the offline `echo` provider.

import { generateKeyPairSync } from "node:crypto";
import { Probot, ProbotOctokit } from "probot";
import { memoryCache } from "../../src/core/eval/cache.js";
import promptopsApp from "../../src/app/index.js";
import { callerLabel } from "../fixtures/github/fake-github.js";
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

type OctokitOptions = { retry?: object; throttle?: object } & Record<string, unknown>;

/**
 * Probot layers its own `throttle` options over an Octokit's object defaults, so the switches
 * are forced in a defaults function, which sees (and has the last word on) the merged options.
 */
function forcing(retry: object, throttle: object): typeof ProbotOctokit {
  return ProbotOctokit.defaults((options: OctokitOptions) => ({
    ...options,
    retry: { ...options.retry, ...retry },
    throttle: { ...options.throttle, ...throttle },
  })) as typeof ProbotOctokit;
}

export const QuietOctokit = forcing({ enabled: false }, { enabled: false });

/** Bottleneck's `Group` as the throttling plugin uses it, minus the 1-3 s spacing of writes. */
const unspaced = { key: () => ({ schedule: (_options: unknown, job: (...a: unknown[]) => unknown, ...args: unknown[]) => job(...args) }) };

/**
 * Probot's retry and throttling as in production (its secondary-limit handler only logs), with
 * waits in milliseconds instead of seconds.
 */
export const RetryingOctokit = forcing(
  { enabled: true, retries: 3, retryAfterBaseValue: 1 },
  {
    enabled: true,
    retryAfterBaseValue: 1,
    write: unspaced,
    notifications: unspaced,
    search: unspaced,
  },
);

export interface TestApp {
  probot: Probot;
  cache: ReturnType<typeof memoryCache>;
  receive(name: string, payload: Record<string, unknown>): Promise<void>;
}

let delivery = 0;

/** `env` is added to the app's environment (APP_ID is always set). */
export async function testApp(options: { Octokit?: typeof ProbotOctokit; baseUrl?: string; env?: Record<string, string> } = {}): Promise<TestApp> {
  const probot = new Probot({
    appId: APP_ID,
    privateKey: privateKey(),
    logLevel: "fatal",
    Octokit: options.Octokit ?? QuietOctokit,
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
  });
  const cache = memoryCache();
  await probot.load((app, fnOptions) => promptopsApp(labelling(app), { ...fnOptions, env: { ...options.env, APP_ID: String(APP_ID) }, cache, retryAfterBaseMs: 1 }));
  return {
    probot,
    cache,
    receive: (name, payload) => probot.receive({ id: `delivery-${++delivery}`, name, payload } as Parameters<Probot["receive"]>[0]),
  };
}

/**
 * The app with each handler's GitHub calls labelled `review` (the review and its reruns) or
 * `other` (ownership, tags), since several handlers answer one event at the same time.
 */
function labelling(app: Probot): Probot {
  // The app names each handler after its route (src/host/routes.ts). The promotion check reads
  // the pull request, its files and the base rules the review reads (shared per delivery) and
  // nothing else unless the pins file changed, so whichever asks first, the reads count as the review's.
  const reviewRoutes = new Set(["review", "rerun-check", "rerun-suite", "rerun-command", "promotion"]);
  const labelOf = (handler: { name: string }) => (reviewRoutes.has(handler.name) ? "review" : "other");
  return new Proxy(app, {
    get(target, prop) {
      if (prop === "on") {
        return (events: unknown, handler: ((context: unknown) => unknown) & { name: string }) =>
          (target.on as (e: unknown, h: (c: unknown) => unknown) => void)(events, (context) => callerLabel.run(labelOf(handler), () => handler(context)));
      }
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

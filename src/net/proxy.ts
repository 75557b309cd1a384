// Outbound HTTP through the proxy the standard variables name (HTTPS_PROXY, HTTP_PROXY,
// NO_PROXY, and their lower-case forms), for GitHub and model calls alike: corporate networks
// often reach neither any other way. One undici EnvHttpProxyAgent serves the whole process, so
// connections to the proxy are pooled across reviews instead of opened per client. undici is
// loaded only when a proxy is configured: most runs have none, and the Action starts faster
// without initialising it.

import type { Dispatcher } from "undici";

export interface ProxySettings {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

/** The proxy variables of `env` (lower case wins, as curl reads them), or undefined when none is set. */
export function proxySettings(env: Record<string, string | undefined>): ProxySettings | undefined {
  const read = (name: string) => {
    const value = (env[name.toLowerCase()] ?? env[name])?.trim();
    return value === undefined || value === "" ? undefined : value;
  };
  const httpProxy = read("HTTP_PROXY");
  const httpsProxy = read("HTTPS_PROXY") ?? httpProxy;
  if (httpProxy === undefined && httpsProxy === undefined) return undefined;
  const noProxy = read("NO_PROXY");
  return {
    ...(httpProxy !== undefined ? { httpProxy } : {}),
    ...(httpsProxy !== undefined ? { httpsProxy } : {}),
    ...(noProxy !== undefined ? { noProxy } : {}),
  };
}

const dispatchers = new Map<string, Promise<Dispatcher>>();

/**
 * The process's proxy dispatcher for `env`'s settings, created on first use; undefined when no
 * proxy is configured. NO_PROXY is honoured by the agent (`host`, `.domain`, `host:port`, `*`).
 */
export function proxyDispatcher(env: Record<string, string | undefined>): Promise<Dispatcher> | undefined {
  const settings = proxySettings(env);
  if (!settings) return undefined;
  const key = JSON.stringify(settings);
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    dispatcher = import("undici").then(
      ({ EnvHttpProxyAgent }) =>
        new EnvHttpProxyAgent({
          // Explicit values, so the agent never falls back to a different process.env.
          httpProxy: settings.httpProxy ?? "",
          httpsProxy: settings.httpsProxy ?? "",
          noProxy: settings.noProxy ?? "",
        }),
    );
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

/**
 * A fetch that goes through the proxy `env` names, for Octokit's `request.fetch` and the model
 * SDKs; undefined when no proxy is configured (callers keep their usual transport).
 */
export function proxiedFetch(env: Record<string, string | undefined>): typeof fetch | undefined {
  const agent = proxyDispatcher(env);
  if (!agent) return undefined;
  const proxied = async (input: string | URL | Request, init: RequestInit = {}) => {
    const [{ fetch: undiciFetch }, dispatcher] = await Promise.all([import("undici"), agent]);
    return undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher });
  };
  return proxied as unknown as typeof fetch;
}

// Maps a `provider/model` string to the provider that serves it, built from the config and an
// environment handed in by the host (the core never reads process.env).

import type { PromptOpsConfig, ProviderSettings } from "../config/model.js";
import { createRedactor, secretsFrom, type Redactor } from "../redact.js";
import { createAnthropicProvider } from "./anthropic.js";
import { createEchoProvider } from "./echo.js";
import { createOpenAICompatibleProvider } from "./openai-compatible.js";
import { ProviderError, type ModelProvider } from "./port.js";
import { createReplayProvider, recordingProvider, type RecordedResponse } from "./replay.js";

export interface ResolvedModel {
  provider: ModelProvider;
  /** The model as the provider names it: `gpt-4o-mini` for `openai/gpt-4o-mini`. */
  modelName: string;
}

export interface ProviderRegistry {
  /** Throws ProviderError `config` for an unknown prefix or a missing key. */
  resolve(model: string): ResolvedModel;
}

export interface ProvidersOptions {
  config: PromptOpsConfig;
  env: Record<string, string | undefined>;
  /** The providers' transport; default: keep-alive node:http for http: URLs, global fetch otherwise. */
  fetch?: typeof fetch;
  /** Concurrent requests per provider (`--concurrency`); sizes the keep-alive pools. Default: the config's. */
  concurrency?: number;
  /** Wall clock, only to read HTTP-date `retry-after` headers. */
  now?: () => number;
  /**
   * Whether `providers.<name>.baseUrl` from the repository's config may receive this host's keys
   * (default true: the CLI runs a user's own repository). The App sets it false unless its
   * operator allows it: otherwise any installation could point a provider at its own server
   * and be sent the operator's API key.
   */
  trustConfigEndpoints?: boolean;
  /** Contents of the replay file (`providers.replay.file`), for models written `replay/...`. */
  recordings?: Record<string, unknown>;
  /**
   * With `trustConfigEndpoints: false`: the hosts (`name` or `name:port`) of repository-configured
   * endpoints the user allowed anyway (the CLI's `--trust-endpoint` / PROMPTOPS_TRUST_ENDPOINTS).
   * When given, endpoints on this machine (loopback) are allowed too: a clone can point at a
   * local Ollama, but not make the user's keys travel to a server of its choosing.
   */
  trustedHosts?: readonly string[];
  /** How the user allows an endpoint, for the refusal message (default: ask the operator). */
  endpointOptIn?: (host: string) => string;
  /**
   * Masks secrets in what providers send back (errors and outputs). The secrets of `env` (see
   * `secretsFrom`, plus the variables `providers.<name>.apiKeyEnv` names) are always added.
   */
  redactor?: Redactor;
}

export const DEFAULT_BASE_URLS = {
  openai: "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  github: "https://models.github.ai/inference",
  ollama: "http://127.0.0.1:11434/v1",
  vllm: "http://127.0.0.1:8000/v1",
} as const;

export const PROVIDER_PREFIXES = ["openai", "azure", "anthropic", "github", "ollama", "vllm", "echo", "replay"] as const;

/** GA API version of Azure OpenAI's classic (deployment-path) API, used when none is configured. */
export const AZURE_DEFAULT_API_VERSION = "2024-10-21";

/** GitHub Models wants its REST headers (docs: "REST API endpoints for models inference"). */
export const GITHUB_MODELS_HEADERS = { Accept: "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28" } as const;

export interface AzureTarget {
  /** What the SDK is given as `baseURL`. */
  baseURL: string;
  /** `v1`: the OpenAI-style `/openai/v1` API (plain client, model in the body, no api-version). */
  api: "v1" | "deployments";
}

/**
 * Where Azure OpenAI requests go, from an endpoint written any of the documented ways:
 * `https://<resource>.openai.azure.com` (the `/openai` root is added),
 * `.../openai`, `.../openai/deployments/<name>` (the SDK then adds no deployment), or
 * `.../openai/v1` (the v1 API, which takes the deployment as `model`).
 */
export function azureTarget(endpoint: string): AzureTarget {
  const url = new URL(endpoint);
  url.search = "";
  url.hash = "";
  let path = url.pathname.replace(/\/+$/, "").replace(/\/chat\/completions$/, "");
  if (/\/openai\/v1$/.test(path)) return { baseURL: `${url.origin}${path}`, api: "v1" };
  if (!/\/openai(\/deployments\/[^/]+)?$/.test(path)) path = `${path}/openai`;
  return { baseURL: `${url.origin}${path}`, api: "deployments" };
}

/** `https://models.github.ai/inference` -> `https://models.github.ai/orgs/<org>/inference`. */
export function githubOrgBaseUrl(baseUrl: string, org: string): string {
  const url = new URL(baseUrl);
  const path = url.pathname.replace(/\/+$/, "");
  if (!path.endsWith("/inference")) {
    throw new ProviderError("config", `cannot attribute GitHub Models usage to "${org}": the base URL ${baseUrl} does not end with /inference`);
  }
  if (!/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/.test(org)) {
    throw new ProviderError("config", `"${org}" is not a GitHub organization login`);
  }
  return `${url.origin}${path.slice(0, -"/inference".length)}/orgs/${org}/inference`;
}

/** Servers on this machine (Ollama, vLLM, test servers) usually want no key. */
function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname.replace(/^\[|\]$/g, "");
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || host === "0.0.0.0" || host.startsWith("127.");
}

/** Whether `url`'s host is named in `trusted` (as `name` or `name:port`), or is loopback when a list is given at all. */
function isTrustedHost(url: string, trusted: readonly string[] | undefined): boolean {
  if (trusted === undefined) return false;
  if (isLoopback(url)) return true;
  const { host, hostname } = new URL(url);
  return trusted.some((t) => {
    const name = t.trim().toLowerCase();
    return name !== "" && (name === host.toLowerCase() || name === hostname.toLowerCase());
  });
}

function checkUrl(baseUrl: string, where: string): string {
  let protocol: string | undefined;
  try {
    protocol = new URL(baseUrl).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "http:" && protocol !== "https:") {
    throw new ProviderError("config", `${where} is not a URL: "${baseUrl}" (expected e.g. http://127.0.0.1:11434/v1)`);
  }
  return baseUrl;
}

// `ollama` and `vllm` may appear under `providers` even though the config type does not name them yet.
type SettingsFor = (name: string) => ProviderSettings;

export function createProviders(options: ProvidersOptions): ProviderRegistry {
  const { config, env } = options;
  const providersConfig = config.providers as unknown as Record<string, ProviderSettings | undefined>;
  const settingsFor: SettingsFor = (name) => providersConfig[name] ?? {};
  const prices = config.providers.prices ?? {};
  const built = new Map<string, ModelProvider>();
  const transport = options.fetch;
  /** Idle connections worth keeping: as many as the runner sends to this provider at once. */
  const poolFor = (name: string): number => {
    const own = (settingsFor(name) as { concurrency?: unknown }).concurrency;
    return options.concurrency ?? (typeof own === "number" ? own : config.providers.concurrency);
  };
  const keyEnvNames = Object.values(providersConfig)
    .map((settings) => (settings && typeof settings === "object" ? settings.apiKeyEnv : undefined))
    .filter((name): name is string => typeof name === "string");
  const redactor = (options.redactor ?? createRedactor()).with(secretsFrom(env, keyEnvNames));

  /** The repository's `providers.<name>.baseUrl`, when this host accepts endpoints from it. */
  function configuredUrl(name: string): string | undefined {
    const configured = settingsFor(name).baseUrl;
    if (!configured) return undefined;
    const url = checkUrl(configured, `providers.${name}.baseUrl`);
    if (options.trustConfigEndpoints === false && !isTrustedHost(url, options.trustedHosts)) {
      const host = new URL(url).host;
      const optIn = options.endpointOptIn
        ? options.endpointOptIn(host)
        : "ask the operator to set the endpoint, or to allow repository endpoints";
      throw new ProviderError(
        "config",
        `providers.${name}.baseUrl is set by the repository's config (to ${host}), and model keys are sent to such an endpoint only when allowed: ${optIn}`,
      );
    }
    return url;
  }

  function baseUrlFor(name: keyof typeof DEFAULT_BASE_URLS, envName?: string): string {
    const configured = configuredUrl(name);
    if (configured) return configured;
    const fromEnv = envName ? env[envName] : undefined;
    if (fromEnv) return checkUrl(fromEnv, envName!);
    return DEFAULT_BASE_URLS[name];
  }

  function keyFor(name: string, model: string, defaultEnv: string, baseUrl: string, hint: string): string {
    const envName = settingsFor(name).apiKeyEnv ?? defaultEnv;
    const key = env[envName];
    if (key) return key;
    if (isLoopback(baseUrl)) return "no-key-needed";
    const source = settingsFor(name).apiKeyEnv ? ` (named by providers.${name}.apiKeyEnv)` : "";
    throw new ProviderError("config", `${model}: no API key: set the environment variable ${envName}${source} to ${hint}`);
  }

  function build(prefix: string, model: string): ModelProvider {
    switch (prefix) {
      case "echo":
        return createEchoProvider();
      case "replay":
        if (!options.recordings) {
          throw new ProviderError("config", `${model}: no recordings loaded: set providers.replay.file in .github/promptops.yml or pass --replay <file>`);
        }
        return createReplayProvider(options.recordings);
      case "openai": {
        const baseURL = baseUrlFor("openai", "OPENAI_BASE_URL");
        const apiKey = keyFor("openai", model, "OPENAI_API_KEY", baseURL, "an OpenAI (or Azure OpenAI) API key");
        return createOpenAICompatibleProvider({ name: "openai", baseURL, apiKey, fetch: transport, poolSize: poolFor("openai"), prices, now: options.now });
      }
      case "github": {
        const root = baseUrlFor("github");
        // Usage billed to an organization goes to /orgs/<org>/inference (as `gh models --org`).
        const org = settingsFor("github").org || env.GITHUB_MODELS_ORG;
        const baseURL = org ? githubOrgBaseUrl(root, org) : root;
        const apiKey = keyFor("github", model, "GITHUB_TOKEN", baseURL, "a GitHub token with the models: read permission");
        return createOpenAICompatibleProvider({
          name: "github",
          baseURL,
          apiKey,
          fetch: transport,
          poolSize: poolFor("github"),
          prices,
          now: options.now,
          defaultHeaders: { ...GITHUB_MODELS_HEADERS },
        });
      }
      case "azure": {
        const settings = settingsFor("azure");
        const endpoint =
          configuredUrl("azure") ??
          (env.AZURE_OPENAI_ENDPOINT
            ? checkUrl(env.AZURE_OPENAI_ENDPOINT, "AZURE_OPENAI_ENDPOINT")
            : undefined);
        if (!endpoint) {
          throw new ProviderError(
            "config",
            `${model}: no Azure OpenAI endpoint: set the environment variable AZURE_OPENAI_ENDPOINT (e.g. https://<resource>.openai.azure.com) or providers.azure.baseUrl`,
          );
        }
        const target = azureTarget(endpoint);
        const apiKey = keyFor("azure", model, "AZURE_OPENAI_API_KEY", endpoint, "an Azure OpenAI API key");
        const apiVersion = settings.apiVersion || env.OPENAI_API_VERSION || AZURE_DEFAULT_API_VERSION;
        return createOpenAICompatibleProvider({
          name: "azure",
          baseURL: target.baseURL,
          apiKey,
          fetch: transport,
          poolSize: poolFor("azure"),
          prices,
          now: options.now,
          // The v1 API takes the key as a bearer token too, but `api-key` is what every Azure API reads.
          ...(target.api === "v1" ? { defaultHeaders: { "api-key": apiKey } } : { azure: { apiVersion } }),
        });
      }
      case "ollama":
      case "vllm": {
        const baseURL = baseUrlFor(prefix, `${prefix.toUpperCase()}_BASE_URL`);
        const apiKey = env[settingsFor(prefix).apiKeyEnv ?? `${prefix.toUpperCase()}_API_KEY`] || "no-key-needed";
        return createOpenAICompatibleProvider({ name: prefix, baseURL, apiKey, fetch: transport, poolSize: poolFor(prefix), prices, now: options.now });
      }
      case "anthropic": {
        const baseURL = baseUrlFor("anthropic", "ANTHROPIC_BASE_URL");
        const apiKey = keyFor("anthropic", model, "ANTHROPIC_API_KEY", baseURL, "an Anthropic API key");
        return createAnthropicProvider({ baseURL, apiKey, fetch: transport, poolSize: poolFor("anthropic"), prices, now: options.now });
      }
      default:
        throw new ProviderError(
          "config",
          `unknown model provider "${prefix}" in "${model}": write models as provider/model, e.g. openai/gpt-4o-mini (providers: ${PROVIDER_PREFIXES.join(", ")})`,
        );
    }
  }

  return {
    resolve(model) {
      const slash = model.indexOf("/");
      const prefix = slash === -1 ? model : model.slice(0, slash);
      const modelName = slash === -1 ? "" : model.slice(slash + 1);
      if (prefix !== "echo" && prefix !== "replay") {
        if (slash === -1) {
          throw new ProviderError(
            "config",
            `model "${model}" names no provider: write it as provider/model, e.g. openai/${model || "gpt-4o-mini"} (providers: ${PROVIDER_PREFIXES.join(", ")})`,
          );
        }
        if (!modelName) throw new ProviderError("config", `model "${model}" names no model after "${prefix}/"`);
        if (prefix === "github" && !modelName.includes("/")) {
          throw new ProviderError("config", `model "${model}": GitHub Models are written github/<publisher>/<model>, e.g. github/openai/${modelName}`);
        }
      }
      let provider = built.get(prefix);
      if (!provider) {
        provider = redactingProvider(build(prefix, model), redactor);
        built.set(prefix, provider);
      }
      return { provider, modelName: modelName || prefix };
    },
  };
}

/**
 * `provider` with secrets masked in its errors and outputs: a gateway answering 401 with the
 * key it was sent in the body (or a hostile one putting it in a completion) must not get it
 * into a report. The error's `cause`, which holds the raw SDK error, is dropped for the same reason.
 */
export function redactingProvider(provider: ModelProvider, redactor: Redactor): ModelProvider {
  if (redactor.secrets.length === 0) return provider;
  return {
    name: provider.name,
    ...(provider.reportsLatency !== undefined ? { reportsLatency: provider.reportsLatency } : {}),
    async complete(request, options) {
      try {
        const response = await provider.complete(request, options);
        const output = redactor.redact(response.output);
        return output === response.output ? response : { ...response, output };
      } catch (error) {
        if (error instanceof ProviderError) {
          const message = redactor.redact(error.message);
          if (message === error.message) throw error;
          throw new ProviderError(error.kind, message, {
            ...(error.status !== undefined ? { status: error.status } : {}),
            ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
          });
        }
        throw new Error(redactor.redact(error instanceof Error ? error.message : String(error)));
      }
    },
  };
}

/** Every model answered from `recordings` (`--replay`), whatever provider it names. */
export function replayRegistry(recordings: Record<string, unknown>): ProviderRegistry {
  const provider = createReplayProvider(recordings);
  return {
    resolve(model) {
      const slash = model.indexOf("/");
      return { provider, modelName: slash === -1 ? model : model.slice(slash + 1) };
    },
  };
}

/** `inner` with every successful response also handed to `sink` (`--record`). */
export function recordingRegistry(
  inner: ProviderRegistry,
  sink: (key: string, response: RecordedResponse) => void,
  options: { now?: () => number } = {},
): ProviderRegistry {
  const wrapped = new Map<ModelProvider, ModelProvider>();
  return {
    resolve(model) {
      const resolved = inner.resolve(model);
      let provider = wrapped.get(resolved.provider);
      if (!provider) {
        provider = recordingProvider(resolved.provider, sink, options);
        wrapped.set(resolved.provider, provider);
      }
      return { provider, modelName: resolved.modelName };
    },
  };
}

// The shape of `.github/promptops.yml` after validation and defaults. `config/load.ts`
// turns YAML into this; everything else reads only this type.

export interface ProviderSettings {
  /** Base URL for OpenAI-compatible or Anthropic endpoints (Azure, Ollama, vLLM, a local server). */
  baseUrl?: string;
  /** Name of the environment variable holding the API key (never the key itself). */
  apiKeyEnv?: string;
  /** Concurrent requests to this provider; overrides `providers.concurrency`. */
  concurrency?: number;
  /** For `replay`: the recordings file. */
  file?: string;
  /** For `azure`: the API version of the deployment-path API (default: env OPENAI_API_VERSION, else a GA version). */
  apiVersion?: string;
  /** For `github`: the organization GitHub Models usage is attributed to (`/orgs/<org>/inference`). */
  org?: string;
}

export interface Price {
  /** USD per million input tokens. */
  input: number;
  /** USD per million output tokens. */
  output: number;
}

export interface GateConfig {
  /** Each changed prompt's head mean score must be at least this (0..1). */
  minScore?: number;
  /** Head mean score may drop below base by at most this much (absolute, 0..1). */
  maxRegression?: number;
  /** Share of cases that must pass on the head (0..1). */
  minPassRate?: number;
  /** Head pass rate may drop below base by at most this much (absolute, 0..1), judged like the score delta. */
  maxPassRateDrop?: number;
  /** A changed prompt must have a golden set. */
  requireGolden: boolean;
  /** Head cost may exceed base cost by at most this fraction (0.2 = +20 %). */
  maxCostIncrease?: number;
  /**
   * Judge the score delta with its interval (true) rather than its point estimate (false): a drop
   * fails only when the evidence shows it is larger than `maxRegression`.
   */
  ignoreNoise: boolean;
  /**
   * What an inconclusive prompt (a drop larger than `maxRegression` neither shown nor ruled out)
   * does to the verdict: `neutral` (default) keeps the check from passing without failing it.
   */
  onInconclusive: "pass" | "neutral" | "fail";
  /**
   * Adaptive repeats: while a prompt's score delta is inconclusive, sample its cases again on both
   * sides in stages, up to `maxRepeats` samples per case. `auto` (default): on for prompts whose
   * model samples (temperature above 0 on either side), off at temperature 0.
   */
  adaptive: "auto" | boolean;
  /** Most samples per case and side adaptive repeats may take (the first pass included). */
  maxRepeats: number;
}

export interface PromptOpsConfig {
  prompts: {
    /** Globs of prompt files. */
    include: string[];
    exclude: string[];
    /** Folders searched for `{{> name}}` partials. */
    partials: string[];
  };
  golden: {
    /**
     * Conventions for a prompt's golden set when it names none; `{dir}` is the prompt's folder,
     * `{name}` its file name without the prompt extension. First existing file wins.
     */
    patterns: string[];
    /**
     * Largest golden-set file read, in bytes (prompt files and partials stay at 1 MiB). Rows are
     * parsed one at a time, but a file's text is held while it is read.
     */
    maxBytes: number;
  };
  providers: {
    /** Used when a prompt names no model. */
    defaultModel?: string;
    /** Model for llm judges (llm-rubric, similarity, ...). */
    judge?: string;
    concurrency: number;
    timeoutMs: number;
    retries: number;
    /** Each case is run this many times per side; a case passes when `passThreshold` of them pass. */
    repeats: number;
    /** k of `repeats` runs that must pass for a case to pass (default: all). */
    passThreshold?: number;
    openai: ProviderSettings;
    anthropic: ProviderSettings;
    github: ProviderSettings;
    /** Azure OpenAI (`azure/<deployment>`); endpoint and key also from AZURE_OPENAI_ENDPOINT / AZURE_OPENAI_API_KEY. */
    azure?: ProviderSettings;
    /** Ollama's OpenAI-compatible API (`ollama/<model>`), default http://127.0.0.1:11434/v1. */
    ollama?: ProviderSettings;
    /** vLLM's OpenAI-compatible API (`vllm/<model>`), default http://127.0.0.1:8000/v1. */
    vllm?: ProviderSettings;
    replay: ProviderSettings;
    /** Per `provider/model` prices, overriding the built-in table. */
    prices: Record<string, Price>;
  };
  gates: GateConfig;
  ownership: {
    useCodeowners: boolean;
    defaultOwners: string[];
    /** Requested when the PR author is the only owner. */
    fallbackReviewers: string[];
    dismissStaleApprovals: boolean;
    requestReviews: boolean;
  };
  versioning: {
    /** Content changes need a semver increase (`version` field) over the base. */
    requireBump: boolean;
    /** `manual`: the file's `version`; `auto`: next version from the latest tag and PR labels. */
    mode: "manual" | "auto";
    /** Tag name template: `{id}`, `{version}`. */
    tag: string;
    /** Only tag prompts whose owners approved. */
    requireApproval: boolean;
    /** Only tag prompts whose eval gate passed on the merged head. */
    requirePassingEval: boolean;
    /** Also create a GitHub release per tag. */
    release: boolean;
  };
  comment: {
    enabled: boolean;
    /** Changed cases listed per prompt before the rest are summarized. */
    maxCases: number;
    showDiff: boolean;
  };
  environments: {
    /** The pins file: which version of each prompt each environment runs. */
    file: string;
  };
  review: {
    /** Review draft pull requests too. */
    drafts: boolean;
    /** Post a short neutral check when a PR changes no prompt. */
    checkWhenNoChanges: boolean;
  };
}

/** 64 MiB: about 350,000 small cases. */
export const DEFAULT_GOLDEN_MAX_BYTES = 64 * 1024 * 1024;

export const DEFAULT_CONFIG: PromptOpsConfig = {
  prompts: {
    include: ["**/*.prompt.yml", "**/*.prompt.yaml", "**/*.prompt", "**/*.prompty", "**/*.prompt.md"],
    exclude: ["**/node_modules/**"],
    partials: ["prompts/partials"],
  },
  golden: {
    patterns: [
      "{dir}/{name}.golden.jsonl",
      "{dir}/{name}.golden.yml",
      "{dir}/{name}.golden.yaml",
      "{dir}/{name}.golden.json",
      "{dir}/{name}.golden.csv",
    ],
    maxBytes: DEFAULT_GOLDEN_MAX_BYTES,
  },
  providers: {
    concurrency: 8,
    timeoutMs: 60_000,
    retries: 4,
    repeats: 1,
    openai: {},
    anthropic: {},
    github: {},
    replay: {},
    prices: {},
  },
  gates: { requireGolden: false, ignoreNoise: true, maxRegression: 0.05, onInconclusive: "neutral", adaptive: "auto", maxRepeats: 5 },
  ownership: {
    useCodeowners: false,
    defaultOwners: [],
    fallbackReviewers: [],
    dismissStaleApprovals: false,
    requestReviews: true,
  },
  versioning: {
    requireBump: true,
    mode: "manual",
    tag: "prompts/{id}/v{version}",
    requireApproval: true,
    requirePassingEval: true,
    release: false,
  },
  comment: { enabled: true, maxCases: 20, showDiff: true },
  environments: { file: ".github/prompt-environments.yml" },
  review: { drafts: false, checkWhenNoChanges: false },
};

export const CONFIG_PATH = ".github/promptops.yml";

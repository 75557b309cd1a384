// The JSON Schema of `.github/promptops.yml`: the one place that says which keys exist and what
// they hold. Every object is closed (`additionalProperties: false`) so a typo is an error.

const str = { type: "string" } as const;
const strList = { type: "array", items: { type: "string" } } as const;
const bool = { type: "boolean" } as const;
const fraction = { type: "number", minimum: 0, maximum: 1 } as const;
const positiveInt = { type: "integer", minimum: 1 } as const;
const nonNegativeInt = { type: "integer", minimum: 0 } as const;

function section(properties: Record<string, unknown>) {
  return { type: "object", additionalProperties: false, properties } as const;
}

const providerSettings = section({ baseUrl: str, apiKeyEnv: str, concurrency: positiveInt, file: str, apiVersion: str, org: str });

const price = {
  type: "object",
  additionalProperties: false,
  required: ["input", "output"],
  properties: { input: { type: "number", minimum: 0 }, output: { type: "number", minimum: 0 } },
} as const;

export const CONFIG_SCHEMA = section({
  prompts: section({ include: strList, exclude: strList, partials: strList }),
  golden: section({ patterns: strList, maxBytes: positiveInt }),
  providers: section({
    defaultModel: str,
    judge: str,
    concurrency: positiveInt,
    timeoutMs: positiveInt,
    retries: nonNegativeInt,
    repeats: positiveInt,
    passThreshold: positiveInt,
    openai: providerSettings,
    anthropic: providerSettings,
    github: providerSettings,
    azure: providerSettings,
    ollama: providerSettings,
    vllm: providerSettings,
    replay: providerSettings,
    prices: { type: "object", additionalProperties: price },
  }),
  gates: section({
    minScore: fraction,
    maxRegression: fraction,
    minPassRate: fraction,
    maxPassRateDrop: fraction,
    requireGolden: bool,
    maxCostIncrease: { type: "number", minimum: 0 },
    ignoreNoise: bool,
    onInconclusive: { enum: ["pass", "neutral", "fail"] },
    adaptive: { enum: ["auto", true, false] },
    maxRepeats: positiveInt,
  }),
  ownership: section({
    useCodeowners: bool,
    defaultOwners: strList,
    fallbackReviewers: strList,
    dismissStaleApprovals: bool,
    requestReviews: bool,
  }),
  versioning: section({
    requireBump: bool,
    mode: { enum: ["manual", "auto"] },
    tag: str,
    requireApproval: bool,
    requirePassingEval: bool,
    release: bool,
  }),
  comment: section({ enabled: bool, maxCases: nonNegativeInt, showDiff: bool }),
  environments: section({ file: str }),
  review: section({ drafts: bool, checkWhenNoChanges: bool }),
});

// The model-key filter: which environment variables a host hands to the model layer.

/**
 * The part of the environment the model layer may see. A repository's own config names the
 * variable its key is read from (`providers.*.apiKeyEnv`) and the server it is sent to
 * (`providers.*.baseUrl`), so the whole environment would let any installation have the App's
 * private key or webhook secret sent to itself. Only model settings pass: the variables the
 * providers read (`OPENAI_*`, `ANTHROPIC_*`, `AZURE_OPENAI_*`, `OLLAMA_*`, `VLLM_*`,
 * `GITHUB_MODELS_*`, `GITHUB_TOKEN`) and any `*_API_KEY`.
 */
export function modelEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  return Object.fromEntries(Object.entries(env).filter(([name]) => MODEL_ENV.test(name) && !APP_CREDENTIALS.test(name)));
}

const MODEL_ENV = /^(?:OPENAI|ANTHROPIC|AZURE_OPENAI|OLLAMA|VLLM|GITHUB_MODELS)_|_API_KEY$|^GITHUB_TOKEN$/;
/** The App's own credentials, whatever else their names look like. */
const APP_CREDENTIALS = /PRIVATE_KEY|WEBHOOK_SECRET|CLIENT_SECRET/;

// One model for every prompt file format. Parsers produce it; rendering, lint, evaluation,
// ownership and versioning consume it. Positions point into the original file so problems
// can be annotated on the exact line.

export type PromptFormat = "github" | "dotprompt" | "prompty" | "markdown";
export type Role = "system" | "user" | "assistant";

export interface PromptMessage {
  role: Role;
  /** The template text (`{{var}}`, `{{> partial}}`), not rendered. */
  content: string;
  /** 1-based line in the file where this message's content starts. */
  line: number;
}

export interface VariableSpec {
  name: string;
  type?: string;
  required?: boolean;
  description?: string;
  /** Used when a render gets no value for this variable (Dotprompt `input.default`, Prompty `default`). */
  default?: unknown;
  line?: number;
}

/**
 * An evaluator as written in the prompt file: GitHub Models' shape
 * (`{name, string: {...}}`, `{name, llm: {...}}`, `{name, uses: "github/similarity"}`) or a
 * promptfoo-style assertion (`{type: "contains", value: "x"}`). Kept raw so the file round-trips;
 * `core/scorers` normalizes it.
 */
export interface EvaluatorSpec {
  name: string;
  spec: Record<string, unknown>;
  line?: number;
}

/** Where notable fields sit in the file (1-based lines), for annotations. */
export interface PromptPositions {
  id?: number;
  version?: number;
  model?: number;
  owners?: number;
  golden?: number;
  testData?: number;
  /** Line of each inline testData row, in order (when the parser knows them). */
  testDataRows?: number[];
  messages?: number;
}

export interface Prompt {
  /** Repository-relative path of the file. */
  path: string;
  format: PromptFormat;
  /** Stable identity: `promptops.id`, else the path without its prompt extension. */
  id: string;
  name?: string;
  description?: string;
  /** Semver string as written (validated by lint, not by the parser). */
  version?: string;
  /** `provider/model`, e.g. `openai/gpt-4o-mini`. */
  model?: string;
  /** Model parameters (temperature, max_tokens, ...), GitHub's `modelParameters`. */
  parameters: Record<string, unknown>;
  responseFormat?: "text" | "json_object" | "json_schema";
  jsonSchema?: unknown;
  /** Tool definitions offered to the model (Prompty's `tools:`), as written. */
  tools?: unknown[];
  messages: PromptMessage[];
  /** Declared variables (from `promptops.variables`, Dotprompt `input.schema`, Prompty `inputs`). */
  variables: VariableSpec[];
  /** Inline golden rows (GitHub's `testData`, Prompty `sample`), as written. */
  testData: Record<string, unknown>[];
  evaluators: EvaluatorSpec[];
  owners: string[];
  /** Path of the golden-set file as written in the prompt (relative to the prompt's folder or the repo root). */
  golden?: string;
  exampleOutput?: string;
  positions: PromptPositions;
  /** The parsed front matter / document, for fields the model does not name. */
  raw: Record<string, unknown>;
}

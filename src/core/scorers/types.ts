// The one shape every evaluator is normalized into, and what a scorer is given to judge an output.
// Judges and embedders are ports: the caller routes them through the runner and its cache.

import type { ChatMessage } from "../providers/port.js";

/** Asks a judge model; `model` is `provider/model` when the evaluator names one, else the configured judge. */
export type Judge = (messages: ChatMessage[], model?: string) => Promise<string>;

/** Embeds texts, one vector per text, in order. */
export type Embedder = (texts: string[]) => Promise<number[][]>;

export interface ScoreContext {
  output: string;
  /** The case's variables (the golden row without `expected`). */
  vars: Record<string, unknown>;
  expected?: string;
  /** Undefined when the model has no known price. */
  costUsd?: number;
  latencyMs: number;
  judge: Judge;
  embed?: Embedder;
}

/** What one scorer says about one output; `scoreOutput` adds the name and weight. */
export interface ScorerOutcome {
  /** 0..1 */
  score: number;
  pass: boolean;
  reason: string;
  /** The scorer could not run (judge or embedder failed): not a real failure of the output. */
  error?: boolean;
}

export interface Scorer {
  /** Shown in reports: the evaluator's `name`, or the assertion's `metric` / `type`. */
  name: string;
  /** What it does: `contains`, `not-regex`, `github/similarity`, `llm`, ... */
  kind: string;
  weight: number;
  score(ctx: ScoreContext): Promise<ScorerOutcome>;
}

export interface ScorerDiagnostic {
  message: string;
  /** The evaluator's name (or assertion type) the message is about. */
  evaluator: string;
}

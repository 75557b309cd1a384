// LLM judges: GitHub Models' `llm` evaluators (named choices), the built-in `github/*` judges
// (a 1-5 rating) and promptfoo's `llm-rubric` (PASS/FAIL). Judge answers are parsed strictly:
// the whole answer or its last line must BE the verdict; "not good" never matches "good".

import type { ChatMessage } from "../providers/port.js";
import { fillTemplate, judgeData, stringifyValue } from "./template.js";
import { quote } from "./string.js";
import type { Judge, ScoreContext, ScorerOutcome } from "./types.js";

export interface Choice {
  choice: string;
  score: number;
}

export interface ChoiceJudgeSpec {
  model?: string;
  prompt: string;
  systemPrompt?: string;
  choices: Choice[];
}

async function ask(judge: Judge, messages: ChatMessage[], model: string | undefined): Promise<{ answer: string } | { failure: ScorerOutcome }> {
  try {
    const answer = await judge(messages, model);
    if (typeof answer !== "string") throw new Error("the judge returned no text");
    return { answer };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { failure: { score: 0, pass: false, error: true, reason: `judge failed: ${message}` } };
  }
}

/** Decorations a judge puts around its verdict: Markdown emphasis, quotes, a label, a final period. */
function normalizeVerdict(text: string): string {
  return text
    .trim()
    .replace(/^[*_`"'\s]+|[*_`"'\s]+$/g, "")
    .replace(/^(?:final\s+)?(?:answer|verdict|score|rating|choice|result|stars)\s*[:=-]\s*/i, "")
    .replace(/^[*_`"'\s]+|[*_`"'\s.!]+$/g, "")
    .toLowerCase();
}

/** The whole answer, then its last non-empty line: the only places a verdict may sit. */
function verdictCandidates(answer: string): string[] {
  const lines = answer.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "");
  const candidates = [answer.trim()];
  if (lines.length > 1) candidates.push(lines[lines.length - 1]);
  return candidates;
}

const NEGATION = /\b(?:not|no|never|neither|nor|isn't|aren't|wasn't|doesn't|don't|can't|cannot)\b|n't\b/i;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The choice the judge answered with: the whole answer or its last line being exactly a
 * choice; else (as `gh models eval`, which looks for the choice anywhere in the answer) the
 * last line naming exactly one choice as a whole word, without a negation. Undefined when the
 * answer is ambiguous ("good or bad"), negated ("not good") or names none.
 */
export function parseChoice(answer: string, choices: Choice[]): Choice | undefined {
  const candidates = verdictCandidates(answer);
  for (const candidate of candidates) {
    const said = normalizeVerdict(candidate);
    const match = choices.find((c) => normalizeVerdict(c.choice) === said || c.choice.trim().toLowerCase() === candidate.trim().toLowerCase());
    if (match) return match;
  }
  const last = candidates[candidates.length - 1];
  if (last.includes("\n") || NEGATION.test(last)) return undefined;
  const named = choices.filter((c) => new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(c.choice.trim())}(?![\\p{L}\\p{N}])`, "iu").test(last));
  // A choice inside another ("good" in "very good") is the same answer, not two.
  const distinct = named.filter((c) => !named.some((o) => o !== c && o.choice.length > c.choice.length && o.choice.toLowerCase().includes(c.choice.toLowerCase())));
  return distinct.length === 1 ? distinct[0] : undefined;
}

/** A 1-5 rating (`4`, `Score: 4`, `**4**`, `4/5`), or undefined. */
export function parseRating(answer: string): number | undefined {
  for (const candidate of verdictCandidates(answer)) {
    const match = /^([1-5])(?:\s*\/\s*5)?$/.exec(normalizeVerdict(candidate));
    if (match) return Number(match[1]);
  }
  return undefined;
}

export interface RubricVerdict {
  pass: boolean;
  score: number;
  reason?: string;
}

/**
 * promptfoo's grader shape `{"pass": bool, "score": 0..1, "reason": "..."}` (optionally in a
 * code fence), else a last line `PASS` / `FAIL`, optionally followed by a 0..1 score.
 */
export function parseRubricVerdict(answer: string): RubricVerdict | undefined {
  const json = answer.trim().replace(/^```(?:json)?\s*|\s*```$/g, "");
  if (json.startsWith("{")) {
    try {
      const parsed = JSON.parse(json) as Record<string, unknown>;
      if (typeof parsed.pass !== "boolean") return undefined;
      const score = parsed.score === undefined ? (parsed.pass ? 1 : 0) : parsed.score;
      if (typeof score !== "number" || !(score >= 0 && score <= 1)) return undefined;
      return { pass: parsed.pass, score, reason: typeof parsed.reason === "string" ? parsed.reason : undefined };
    } catch {
      return undefined;
    }
  }
  for (const candidate of verdictCandidates(answer)) {
    const match = /^(pass|fail)(?:\s*[(,:;-]?\s*(?:score\s*[:=]?\s*)?(0(?:\.\d+)?|1(?:\.0+)?)\)?)?$/.exec(normalizeVerdict(candidate));
    if (match) {
      const pass = match[1] === "pass";
      return { pass, score: match[2] === undefined ? (pass ? 1 : 0) : Number(match[2]) };
    }
  }
  return undefined;
}

/** What the judge said before its verdict, shortened, so a reviewer sees why. */
function explanation(answer: string): string {
  const lines = answer.trim().split(/\r?\n/).filter((line) => line.trim() !== "");
  return lines.length > 1 ? `: ${quote(lines.slice(0, -1).join(" "), 160)}` : "";
}

/** GitHub's `llm` evaluator. A choice passes when its score is above 0, as in `gh models eval`. */
export async function judgeWithChoices(spec: ChoiceJudgeSpec, ctx: ScoreContext): Promise<ScorerOutcome> {
  const messages: ChatMessage[] = [];
  if (spec.systemPrompt) messages.push({ role: "system", content: spec.systemPrompt });
  messages.push({ role: "user", content: fillTemplate(spec.prompt, judgeData(ctx)) });
  const reply = await ask(ctx.judge, messages, spec.model);
  if ("failure" in reply) return reply.failure;
  const choice = parseChoice(reply.answer, spec.choices);
  if (!choice) {
    const allowed = spec.choices.map((c) => c.choice).join(", ");
    return { score: 0, pass: false, reason: `judge answer ${quote(reply.answer)} is not one of the choices (${allowed})` };
  }
  const score = Math.min(1, Math.max(0, choice.score));
  return { score, pass: choice.score > 0, reason: `judge chose ${quote(choice.choice)}${explanation(reply.answer)}` };
}

export type BuiltinJudge = "similarity" | "coherence" | "fluency" | "relevance" | "groundedness";

export const BUILTIN_JUDGES: readonly BuiltinJudge[] = ["similarity", "coherence", "fluency", "relevance", "groundedness"];

/**
 * Ratings of 2 and above pass, as in `gh models eval` (a choice passes when its score, here
 * (rating - 1) / 4, is above 0), so a `.prompt.yml` file gets the same verdict in both tools.
 */
export const BUILTIN_PASS_RATING = 2;

const RATING_SYSTEM =
  "You grade one answer of an AI system on a single quality. Read the definition and the data, " +
  "think briefly if you need to, then give your rating as an integer from 1 to 5, " +
  "alone on the last line of your reply, with nothing else on that line.";

const CRITERIA: Record<BuiltinJudge, { definition: string; needs: ("question" | "expected" | "context")[] }> = {
  similarity: {
    definition:
      "Similarity: how close the ANSWER is in meaning to the REFERENCE answer for the QUESTION. " +
      "1 = unrelated or contradicting the reference; 2 = mostly different; 3 = partly the same meaning, " +
      "with notable gaps or differences; 4 = the same meaning with minor differences; 5 = fully equivalent.",
    needs: ["question", "expected"],
  },
  coherence: {
    definition:
      "Coherence: whether the ANSWER presents its ideas in a clear, logical order that addresses the QUESTION. " +
      "1 = incoherent fragments; 2 = mostly disconnected; 3 = understandable with gaps in its flow; " +
      "4 = logical and easy to follow; 5 = exceptionally well organized.",
    needs: ["question"],
  },
  fluency: {
    definition:
      "Fluency: the quality of the ANSWER's language alone (grammar, vocabulary, readability), not its correctness. " +
      "1 = barely comprehensible; 2 = frequent errors; 3 = clear with occasional errors; " +
      "4 = well written with minor slips; 5 = flawless and natural.",
    needs: [],
  },
  relevance: {
    definition:
      "Relevance: how well the ANSWER addresses what the QUESTION asks, without going off topic. " +
      "1 = unrelated; 2 = touches the topic but misses the question; 3 = partly answers it; " +
      "4 = answers it with minor omissions; 5 = answers it completely and only it.",
    needs: ["question"],
  },
  groundedness: {
    definition:
      "Groundedness: whether every claim in the ANSWER is supported by the CONTEXT. " +
      "1 = contradicts or ignores the context; 2 = mostly unsupported claims; 3 = some unsupported claims; " +
      "4 = supported with minor unsupported details; 5 = fully supported by the context.",
    needs: ["question", "context"],
  },
};

// `gh models eval`'s groundedness prompt reads the context from `{{expected}}`; rows written
// for it have no `context` variable.
const CONTEXT_VARS = ["context", "documents", "sources"];

function pickVar(vars: Record<string, unknown>, names: string[]): string | undefined {
  for (const name of names) {
    if (vars[name] !== undefined && vars[name] !== null) return stringifyValue(vars[name]);
  }
  return undefined;
}

/** The built-in `github/<name>` judges; score = (rating - 1) / 4. */
export async function judgeBuiltin(name: BuiltinJudge, ctx: ScoreContext, model?: string): Promise<ScorerOutcome> {
  const criteria = CRITERIA[name];
  const sections: string[] = [criteria.definition, ""];
  if (criteria.needs.includes("question")) {
    // GitHub's built-ins read `{{input}}`; rows without one still give the judge all their variables.
    const question = pickVar(ctx.vars, ["input", "question", "query"]) ?? JSON.stringify(ctx.vars);
    sections.push(`QUESTION:\n${question}`, "");
  }
  if (criteria.needs.includes("expected")) {
    if (ctx.expected === undefined) {
      return { score: 0, pass: false, reason: `github/${name} needs the case's \`expected\` answer, and this case has none` };
    }
    sections.push(`REFERENCE:\n${ctx.expected}`, "");
  }
  if (criteria.needs.includes("context")) {
    const context = pickVar(ctx.vars, CONTEXT_VARS) ?? ctx.expected;
    if (context === undefined) {
      return { score: 0, pass: false, reason: `github/${name} needs a \`context\` variable (or, as in gh models eval, an \`expected\`), and this case has neither` };
    }
    sections.push(`CONTEXT:\n${context}`, "");
  }
  sections.push(`ANSWER:\n${ctx.output}`, "", "Rating (1-5), alone on the last line:");
  const reply = await ask(ctx.judge, [
    { role: "system", content: RATING_SYSTEM },
    { role: "user", content: sections.join("\n") },
  ], model);
  if ("failure" in reply) return reply.failure;
  const rating = parseRating(reply.answer);
  if (rating === undefined) {
    return { score: 0, pass: false, reason: `judge answer ${quote(reply.answer)} is not a rating from 1 to 5` };
  }
  return {
    score: (rating - 1) / 4,
    pass: rating >= BUILTIN_PASS_RATING,
    reason: `${name} rated ${rating}/5${explanation(reply.answer)}`,
  };
}

const RUBRIC_SYSTEM =
  "You grade an output of an AI system against a rubric. Reply with only a JSON object " +
  '{"reason": string, "pass": boolean, "score": number from 0 to 1}, where pass says whether the ' +
  "output satisfies the rubric and score how well it does.";

/** promptfoo's `llm-rubric`: the rubric (templated with the row) decides; a threshold also needs that score. */
export async function judgeRubric(rubric: string, ctx: ScoreContext, options: { model?: string; threshold?: number }): Promise<ScorerOutcome> {
  const data = judgeData(ctx);
  const reply = await ask(ctx.judge, [
    { role: "system", content: RUBRIC_SYSTEM },
    { role: "user", content: `<Rubric>\n${fillTemplate(rubric, data)}\n</Rubric>\n\n<Output>\n${ctx.output}\n</Output>` },
  ], options.model);
  if ("failure" in reply) return reply.failure;
  const verdict = parseRubricVerdict(reply.answer);
  if (!verdict) {
    return { score: 0, pass: false, reason: `judge answer ${quote(reply.answer)} is neither a PASS/FAIL verdict nor {"pass", "score"} JSON` };
  }
  const meetsThreshold = options.threshold === undefined || verdict.score >= options.threshold;
  const why = verdict.reason ? `: ${quote(verdict.reason, 160)}` : explanation(reply.answer);
  const scored = options.threshold === undefined ? "" : ` (score ${verdict.score.toFixed(2)}, needs ${options.threshold})`;
  return { score: verdict.score, pass: verdict.pass && meetsThreshold, reason: `judge said ${verdict.pass ? "PASS" : "FAIL"}${scored}${why}` };
}

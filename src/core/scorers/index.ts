// Scorers: evaluators from `.prompt.yml` files and promptfoo-style assertions, normalized into
// one `Scorer` shape, run on an output, and combined into a case score.

export { buildScorers, ASSERTION_TYPES, type BuildScorersInput, type BuiltScorers } from "./build.js";
export { scoreOutput, combineScores, EXPECTED_SCORER_NAME, type CombinedScore } from "./score.js";
export { BUILTIN_JUDGES, BUILTIN_PASS_RATING, parseChoice, parseRating, parseRubricVerdict } from "./judge.js";
export { LEVENSHTEIN_DEFAULT_THRESHOLD, ROUGE_DEFAULT_THRESHOLD, SIMILAR_DEFAULT_THRESHOLD, rougeL, levenshteinDistance } from "./similarity.js";
export type { Judge, Embedder, ScoreContext, Scorer, ScorerOutcome, ScorerDiagnostic } from "./types.js";

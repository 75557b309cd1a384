// The workflows the route table runs, in one module so they load together, once, on first use
// (see routes.ts).

export { checkPromotion } from "../workflows/check-promotion.js";
export { recordPromotion } from "../workflows/record-promotion.js";
export { rerunCheck, rerunCheckSuite, rerunFromComment } from "../workflows/reruns.js";
export { runDriftCheck } from "../workflows/run-drift-check.js";
export { reviewPullRequest } from "../workflows/review-pull-request.js";
export { syncOwnership } from "../workflows/sync-ownership.js";
export { tagMergedPrompts } from "../workflows/tag-merged-prompts.js";
export { pullRequestView } from "../workflows/pull-request-view.js";
export { reviewBetweenRefs, unreachable } from "../workflows/review-between-refs.js";

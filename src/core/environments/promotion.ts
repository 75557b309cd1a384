// The rules a promotion (a pin moved to a new version) must meet, shared by `promptops
// promote` and the `promptops/promotion` check: the version's tag exists and still holds its
// recorded content, and when the environment has `promoteFrom`, that environment already pins
// the version.

import type { Environments } from "./model.js";
import type { ResolvedPin } from "./resolve.js";

export interface PromotionInput {
  /** Rules (promoteFrom) and the pins already in force: the base's file on a pull request. */
  rules: Environments;
  environment: string;
  promptId: string;
  version: string;
  /** The new pin, resolved against the tags. */
  resolved: ResolvedPin;
}

export interface PromotionProblem {
  rule: "tag-missing" | "tag-moved" | "promote-from";
  message: string;
}

export function promotionProblems(input: PromotionInput): PromotionProblem[] {
  const { rules, environment, promptId, version, resolved } = input;
  const problems: PromotionProblem[] = [];
  // A new environment has no rules on the base yet: only its tags hold it.
  const env = rules.environments.find((e) => e.name === environment);
  if (resolved.status === "tag-missing") {
    problems.push({ rule: "tag-missing", message: `${promptId} ${version} cannot be pinned in ${environment}: tag ${resolved.tag} does not exist (versions are tagged when their pull request is merged, or with \`promptops tag\`)` });
  } else if (resolved.status === "tag-moved") {
    problems.push({ rule: "tag-moved", message: `${promptId} ${version} cannot be pinned in ${environment}: ${resolved.detail ?? `tag ${resolved.tag} moved`}` });
  }
  if (env?.promoteFrom !== undefined) {
    const source = rules.environments.find((e) => e.name === env.promoteFrom);
    const pinnedThere = source?.pins.find((p) => p.promptId === promptId)?.version;
    if (pinnedThere !== version) {
      problems.push({
        rule: "promote-from",
        message: `${promptId} ${version} cannot be pinned in ${environment}: it must be pinned in ${env.promoteFrom} first (${env.promoteFrom} pins ${pinnedThere ?? "no version of it"})`,
      });
    }
  }
  return problems;
}

// Golden cases written inside the prompt file itself (GitHub's `testData`, a Prompty `sample`).

import type { Diagnostic } from "../diagnostics.js";
import type { Prompt } from "../prompts/model.js";
import { caseFromRow } from "./cases.js";
import type { GoldenSet } from "./model.js";
import { collectGolden } from "./pack.js";

export function goldenFromTestData(prompt: Prompt): GoldenSet {
  return parseTestData(prompt).set;
}

/** Like goldenFromTestData, with the problems found in the rows. */
export function parseTestData(prompt: Prompt): { set: GoldenSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  // Rows come from YAML (or a Prompty sample): kept as objects.
  const collector = collectGolden(prompt.path, diagnostics, { packable: false });
  prompt.testData.forEach((row, i) => {
    const line = prompt.positions.testDataRows?.[i] ?? prompt.positions.testData ?? 1;
    const c = caseFromRow(row, { file: prompt.path, line }, diagnostics);
    if (c) collector.add(c);
  });
  return { set: collector.finish(), diagnostics };
}

// Golden cases written inside the prompt file itself (GitHub's `testData`, a Prompty `sample`).

import type { Diagnostic } from "../diagnostics.js";
import type { Prompt } from "../prompts/model.js";
import { caseFromRow, dedupeCases } from "./cases.js";
import type { GoldenCase, GoldenSet } from "./model.js";

export function goldenFromTestData(prompt: Prompt): GoldenSet {
  return parseTestData(prompt).set;
}

/** Like goldenFromTestData, with the problems found in the rows. */
export function parseTestData(prompt: Prompt): { set: GoldenSet; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const cases: GoldenCase[] = [];
  prompt.testData.forEach((row, i) => {
    const line = prompt.positions.testDataRows?.[i] ?? prompt.positions.testData ?? 1;
    const c = caseFromRow(row, { file: prompt.path, line }, diagnostics);
    if (c) cases.push(c);
  });
  return { set: { file: prompt.path, cases: dedupeCases(cases, diagnostics) }, diagnostics };
}

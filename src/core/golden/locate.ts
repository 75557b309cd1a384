// Where a prompt's golden set may live: the path the prompt names, or the configured conventions.

import { posix } from "node:path";
import type { PromptOpsConfig } from "../config/model.js";
import { defaultPromptId } from "../prompts/formats.js";
import type { Prompt } from "../prompts/model.js";

/**
 * Candidate paths, best first; the first that exists is the prompt's golden set. A named path
 * is relative to the prompt's folder; one that does not start with `./` or `../` may also be
 * relative to the repository root.
 */
export function goldenCandidates(prompt: Pick<Prompt, "path" | "golden">, config: PromptOpsConfig): string[] {
  const dir = posix.dirname(prompt.path);
  if (prompt.golden !== undefined && prompt.golden.trim() !== "") {
    const named = prompt.golden.trim().replace(/\\/g, "/");
    if (named.startsWith("/")) return [clean(named)];
    const besideThePrompt = clean(posix.join(dir, named));
    if (/^\.\.?\//.test(named)) return [besideThePrompt];
    return unique([besideThePrompt, clean(named)]);
  }
  const name = posix.basename(defaultPromptId(prompt.path));
  return unique(
    config.golden.patterns.map((pattern) => clean(pattern.replace(/\{dir\}/g, dir === "." ? "" : dir).replace(/\{name\}/g, name))),
  );
}

/** Repository-relative, `/`-separated, without `./` or a leading `/`; undefined parts stay as written. */
function clean(path: string): string {
  return posix.normalize(path).replace(/^\/+/, "").replace(/^\.\//, "");
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

// Version rules for a changed prompt: in manual mode a content change needs a semver
// increase of `promptops.version`; in auto mode the next version comes from tags and labels.

import semver from "semver";
import type { Diagnostic } from "../diagnostics.js";
import type { Prompt } from "../prompts/model.js";
import { contentFingerprint } from "./fingerprint.js";

export type BumpStatus = "ok" | "missing-bump" | "invalid-version" | "version-decreased" | "new";

export interface BumpCheck {
  /** The behaviour-relevant content differs from the base (always true for a new prompt). */
  contentChanged: boolean;
  /** Version on the base, as written. */
  previous?: string;
  /** Version on the head, as written. */
  current?: string;
  status: BumpStatus;
  diagnostic?: Diagnostic;
}

/** A version as PromptOps accepts it: strict semver, written without a leading `v`. */
export function isValidVersion(version: string): boolean {
  return semver.valid(version) === version;
}

/** Why `version` is not accepted, with the fix; undefined when it is valid. */
export function versionProblem(version: string): string | undefined {
  if (isValidVersion(version)) return undefined;
  const hint = /^v/i.test(version) && isValidVersion(version.slice(1)) ? `; write ${version.slice(1)}, without the "v"` : "; expected MAJOR.MINOR.PATCH, e.g. 1.0.0";
  return `version "${version}" is not valid semver${hint}`;
}

/**
 * Compares a prompt's base and head. Metadata-only changes (owners, description, golden
 * set, ...) need no bump; an increase without a content change is allowed; a decrease is
 * always an error (its tag would sort before versions already released). In `auto` mode
 * the file's `version` is not used, so nothing is reported.
 */
export function checkBump(base: Prompt | undefined, head: Prompt, mode: "manual" | "auto"): BumpCheck {
  const contentChanged = base === undefined || contentFingerprint(base) !== contentFingerprint(head);
  const previous = base?.version;
  const current = head.version;
  const versions = { ...(previous !== undefined && { previous }), ...(current !== undefined && { current }) };
  const at = (rule: string, message: string): Diagnostic => ({
    file: head.path,
    line: head.positions.version ?? 1,
    column: 1,
    severity: "error",
    message,
    rule,
  });

  if (mode === "auto") return { contentChanged, ...versions, status: base === undefined ? "new" : "ok" };

  const invalid = current !== undefined ? versionProblem(current) : undefined;
  if (invalid !== undefined) {
    return { contentChanged, ...versions, status: "invalid-version", diagnostic: at("invalid-semver", invalid) };
  }
  if (base === undefined) return { contentChanged, ...versions, status: "new" };

  // A base version that is missing or invalid cannot be compared: any valid head version is
  // an acceptable fix.
  const comparable = previous !== undefined && isValidVersion(previous);
  if (comparable && current !== undefined && semver.lt(current, previous)) {
    return {
      contentChanged,
      ...versions,
      status: "version-decreased",
      diagnostic: at("version-bump", `version decreased from ${previous} to ${current}; versions must only go up.`),
    };
  }
  if (!contentChanged) return { contentChanged, ...versions, status: "ok" };
  const missingBump = (message: string) => ({ contentChanged, ...versions, status: "missing-bump" as const, diagnostic: at("version-bump", message) });
  if (current === undefined) {
    return missingBump(
      previous === undefined
        ? "the prompt's content changed but it has no version; add promptops.version (e.g. 1.0.0)."
        : `the prompt's content changed but its version was removed (was ${previous}); set a version above ${previous}.`,
    );
  }
  if (comparable && !semver.gt(current, previous)) {
    return missingBump(
      `the prompt's content changed but its version is still ${current}; bump it (e.g. ${semver.inc(previous, "patch")} for a fix, ${semver.inc(previous, "minor")} for a new behaviour).`,
    );
  }
  return { contentChanged, ...versions, status: "ok" };
}

/**
 * Auto mode: the version after `latest` (the highest existing tag). Patch by default;
 * label `prompt:minor` or `prompt:major` (case-insensitive) asks for more, the biggest wins.
 * With no previous tag the first version is 1.0.0: a merged, approved prompt is in use, and
 * 0.x would suggest otherwise. An unparsable `latest` counts as no previous tag (planTags
 * still refuses to move an existing tag).
 */
export function nextVersion(latest: string | undefined, labels: readonly string[]): string {
  if (latest === undefined || !isValidVersion(latest)) return "1.0.0";
  const wanted = new Set(labels.map((l) => l.trim().toLowerCase()));
  const release = wanted.has("prompt:major") ? "major" : wanted.has("prompt:minor") ? "minor" : "patch";
  return semver.inc(latest, release) ?? "1.0.0";
}

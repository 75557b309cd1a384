// Tag names for prompt versions (`prompts/{id}/v{version}`) and git's rules for ref names,
// so an id that can never be tagged is caught by lint instead of failing at merge time.

import semver from "semver";

export const DEFAULT_TAG_TEMPLATE = "prompts/{id}/v{version}";

export function tagNameFor(template: string, id: string, version: string): string {
  return template.replace(/\{id\}/g, id).replace(/\{version\}/g, version);
}

/**
 * Why `name` is not a valid tag name under `git check-ref-format` (checked as the part after
 * `refs/tags/`), or undefined when it is valid.
 */
export function checkRefFormat(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name === "@") return 'is the single character "@"';
  const control = /[\u0000-\u001f\u007f]/.exec(name);
  if (control) return `contains the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, "0").toUpperCase()}`;
  if (name.includes(" ")) return "contains a space";
  const forbidden = /[~^:?*[\\]/.exec(name);
  if (forbidden) return `contains "${forbidden[0]}"`;
  if (name.includes("..")) return 'contains ".."';
  if (name.includes("@{")) return 'contains "@{"';
  if (name.startsWith("/")) return 'starts with "/"';
  if (name.endsWith("/")) return 'ends with "/"';
  if (name.includes("//")) return 'contains "//"';
  if (name.endsWith(".")) return 'ends with "."';
  for (const component of name.split("/")) {
    if (component.startsWith(".")) return `has a component starting with "." ("${component}")`;
    if (component.endsWith(".lock")) return `has a component ending with ".lock" ("${component}")`;
  }
  return undefined;
}

/** Why prompt id `id` cannot be part of a tag name made from `template`, for lint. */
export function idTagProblem(id: string, template: string = DEFAULT_TAG_TEMPLATE): string | undefined {
  if (!template.includes("{id}")) return undefined;
  const tag = tagNameFor(template, id, "1.0.0");
  const reason = checkRefFormat(tag);
  if (reason === undefined) return undefined;
  // A template that is invalid whatever the id is a config problem, not this id's.
  if (checkRefFormat(tagNameFor(template, "x", "1.0.0")) !== undefined) return undefined;
  return `prompt id "${id}" cannot be part of a git tag name: "${tag}" ${reason}`;
}

/**
 * The highest valid semver among existing tags of prompt `id` made from `template`, for
 * automatic versioning; undefined when there is none.
 */
export function latestTaggedVersion(template: string, id: string, tagNames: readonly string[]): string | undefined {
  const parts = tagNameFor(template, id, "\u0000").split("\u0000");
  if (parts.length !== 2) return undefined;
  const [prefix, suffix] = parts;
  let latest: string | undefined;
  for (const name of tagNames) {
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length < prefix.length + suffix.length) continue;
    const version = name.slice(prefix.length, name.length - suffix.length);
    if (semver.valid(version) !== version) continue;
    if (latest === undefined || semver.gt(version, latest)) latest = version;
  }
  return latest;
}

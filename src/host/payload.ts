// Reads what the routes need from a webhook payload, checked at the boundary: a payload that
// lacks a field a route needs is a clear error naming the field, not a crash deep in a workflow.

import type { RepoRef } from "../github/port.js";

export class PayloadError extends Error {
  constructor(event: string, path: string, expected: string) {
    super(`the ${event} payload has no ${expected} at ${path}`);
    this.name = "PayloadError";
  }
}

export interface PayloadReader {
  /** GitHub's event name, e.g. `pull_request`. */
  readonly name: string;
  /** `payload.action`, when the event has one. */
  readonly action: string | undefined;
  readonly payload: unknown;
  /** `event.action` (or the bare event name), as the workflows log it. */
  trigger(): string;
  /** `repository.owner.login` and `repository.name`. */
  repo(): RepoRef;
  has(path: string): boolean;
  string(path: string): string;
  number(path: string): number;
  list(path: string): unknown[];
  optionalString(path: string): string | undefined;
  optionalNumber(path: string): number | undefined;
  optionalBoolean(path: string): boolean | undefined;
}

export function payloadReader(name: string, payload: unknown): PayloadReader {
  const at = (path: string): unknown => {
    let value: unknown = payload;
    for (const key of path.split(".")) {
      if (value === null || typeof value !== "object") return undefined;
      value = (value as Record<string, unknown>)[key];
    }
    return value;
  };
  const typed = <T>(path: string, expected: string, check: (v: unknown) => v is T): T => {
    const value = at(path);
    if (!check(value)) throw new PayloadError(name, path, expected);
    return value;
  };
  const isString = (v: unknown): v is string => typeof v === "string";
  const isNumber = (v: unknown): v is number => typeof v === "number" && Number.isFinite(v);
  const action = at("action");
  const reader: PayloadReader = {
    name,
    action: typeof action === "string" ? action : undefined,
    payload,
    trigger: () => (reader.action !== undefined ? `${name}.${reader.action}` : name),
    repo: () => ({ owner: typed("repository.owner.login", "string", isString), repo: typed("repository.name", "string", isString) }),
    has: (path) => at(path) !== undefined && at(path) !== null,
    string: (path) => typed(path, "string", isString),
    number: (path) => typed(path, "number", isNumber),
    list: (path) => typed(path, "list", Array.isArray),
    optionalString: (path) => (isString(at(path)) ? (at(path) as string) : undefined),
    optionalNumber: (path) => (isNumber(at(path)) ? (at(path) as number) : undefined),
    optionalBoolean: (path) => (typeof at(path) === "boolean" ? (at(path) as boolean) : undefined),
  };
  return reader;
}

// Renders a Prompt's messages with variables and partials (Handlebars, nothing HTML-escaped),
// and computes which partials a template pulls in, so missing ones and cycles are caught
// before rendering rather than as a stack overflow.

import Handlebars from "handlebars";
import type { ChatMessage } from "../providers/port.js";
import type { Prompt } from "./model.js";
import { analyzeTemplate, templateMode } from "./template.js";

export class RenderError extends Error {
  /** For a partial cycle: the partials in order, the first repeated at the end (`a -> b -> a`). */
  readonly partialChain?: string[];

  constructor(message: string, options: { partialChain?: string[]; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "RenderError";
    this.partialChain = options.partialChain;
  }
}

export interface PartialClosure {
  /** Every partial reached, directly or through other partials, in discovery order. */
  used: string[];
  /** Partials referenced but not in the map. */
  missing: string[];
  /** The first cycle found, e.g. `["a", "b", "a"]`. */
  cycle?: string[];
}

function partialRefs(text: string): string[] {
  return [...new Set(analyzeTemplate(text).partials.map((p) => p.name))];
}

export function partialClosure(text: string, partials: ReadonlyMap<string, string>): PartialClosure {
  const used: string[] = [];
  const missing: string[] = [];
  let cycle: string[] | undefined;
  const seen = new Set<string>();
  const stack: string[] = [];
  const visit = (names: string[]) => {
    for (const name of names) {
      const body = partials.get(name);
      if (body === undefined) {
        if (!missing.includes(name)) missing.push(name);
        continue;
      }
      const at = stack.indexOf(name);
      if (at !== -1) {
        cycle ??= [...stack.slice(at), name];
        continue;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      used.push(name);
      stack.push(name);
      visit(partialRefs(body));
      stack.pop();
    }
  };
  visit(partialRefs(text));
  return cycle ? { used, missing, cycle } : { used, missing };
}

/** Values an object or array shows when printed as `{{value}}`: its JSON, not `[object Object]`. */
function printableAsJson(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value !== "object" || value === null || value instanceof Date) return value;
  if (seen.has(value)) return value;
  seen.add(value);
  const proto = Object.getPrototypeOf(value);
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) return value;
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value)
    ? value.map((v) => printableAsJson(v, seen))
    : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printableAsJson(v, seen)]));
  const json = safeJson(value);
  Object.defineProperty(copy, "toString", { value: () => json, enumerable: false });
  return copy;
}

function safeJson(value: unknown, indent?: number): string {
  try {
    return JSON.stringify(value, null, indent) ?? "";
  } catch {
    return String(value);
  }
}

function environment(): typeof Handlebars {
  const env = Handlebars.create();
  // Dotprompt's message and media markers: the messages are already split by role.
  env.registerHelper("role", () => "");
  env.registerHelper("history", () => "");
  env.registerHelper("media", () => "");
  env.registerHelper("section", () => "");
  env.registerHelper("json", (value: unknown, options: Handlebars.HelperOptions) => {
    const indent = options?.hash?.indent;
    return safeJson(value, typeof indent === "number" ? indent : undefined);
  });
  env.registerHelper("ifEquals", function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a === b ? options.fn(this) : options.inverse(this);
  });
  env.registerHelper("unlessEquals", function (this: unknown, a: unknown, b: unknown, options: Handlebars.HelperOptions) {
    return a !== b ? options.fn(this) : options.inverse(this);
  });
  return env;
}

type MessageTemplate = { role: ChatMessage["role"]; line: number; template: (context: Record<string, unknown>) => string };

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * gh-models' substitution: each exact `{{key}}` of a value the case has is replaced, anything
 * else stays as written. One pass, longest key first, so a value is never substituted again.
 */
function ghLiteralTemplate(text: string): MessageTemplate["template"] {
  return (context) => {
    const keys = Object.keys(context).sort((a, b) => b.length - a.length);
    if (keys.length === 0) return text;
    const pattern = new RegExp(`\\{\\{(${keys.map(escapeRegExp).join("|")})\\}\\}`, "g");
    return text.replace(pattern, (_, key: string) => {
      const value = context[key];
      return typeof value === "string" ? value : String(value);
    });
  };
}

/**
 * A testData key written with dots (`input.field`) is what gh-models fills `{{input.field}}` with;
 * Handlebars reads that as a path, so the key is also offered as nested objects. Existing
 * values are never replaced or mutated.
 */
function withDottedKeys(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...vars };
  const created = new Set<object>([out]);
  for (const [key, value] of Object.entries(vars)) {
    const parts = key.split(".");
    if (parts.length < 2 || parts.some((p) => p === "")) continue;
    let node: Record<string, unknown> | undefined = out;
    for (const part of parts.slice(0, -1)) {
      const next: unknown = node[part];
      if (next === undefined) {
        const child: Record<string, unknown> = {};
        created.add(child);
        node[part] = child;
        node = child;
      } else if (typeof next === "object" && next !== null && created.has(next)) {
        node = next as Record<string, unknown>;
      } else {
        node = undefined;
        break;
      }
    }
    const last = parts[parts.length - 1];
    if (node && node[last] === undefined) node[last] = value;
  }
  return out;
}

/**
 * Compiled messages per prompt and partial set: a golden set renders the same prompt hundreds of
 * times, and building a Handlebars environment and compiling each time would dominate the review.
 */
const compiled = new WeakMap<Prompt, WeakMap<ReadonlyMap<string, string>, MessageTemplate[] | RenderError>>();

function compileMessages(prompt: Prompt, partials: ReadonlyMap<string, string>): MessageTemplate[] | RenderError {
  const env = environment();
  const registered = new Set<string>();
  const templates: MessageTemplate[] = [];
  for (const message of prompt.messages) {
    if (templateMode(prompt.format, message.content).mode === "gh-literal") {
      templates.push({ role: message.role, line: message.line, template: ghLiteralTemplate(message.content) });
      continue;
    }
    const closure = partialClosure(message.content, partials);
    if (closure.cycle) {
      return new RenderError(`${prompt.path}:${message.line}: partials include each other in a cycle: ${closure.cycle.join(" -> ")}`, {
        partialChain: closure.cycle,
      });
    }
    if (closure.missing.length > 0) {
      const list = closure.missing.map((n) => `"${n}"`).join(", ");
      return new RenderError(`${prompt.path}:${message.line}: partial ${list} not found`);
    }
    for (const name of closure.used) {
      if (registered.has(name)) continue;
      env.registerPartial(name, partials.get(name) ?? "");
      registered.add(name);
    }
    templates.push({ role: message.role, line: message.line, template: env.compile(message.content, { noEscape: true }) });
  }
  return templates;
}

/**
 * Renders every message in order, keeping roles. Variables missing from `vars` take their
 * declared default. Throws RenderError for a missing partial, a partial cycle or a template
 * that does not compile.
 */
export function renderMessages(
  prompt: Prompt,
  vars: Record<string, unknown>,
  partials: ReadonlyMap<string, string>,
): ChatMessage[] {
  let byPartials = compiled.get(prompt);
  if (!byPartials) compiled.set(prompt, (byPartials = new WeakMap()));
  let templates = byPartials.get(partials);
  if (!templates) byPartials.set(partials, (templates = compileMessages(prompt, partials)));
  if (templates instanceof RenderError) throw templates;

  const context: Record<string, unknown> = {};
  for (const v of prompt.variables) if (v.default !== undefined) context[v.name] = printableAsJson(v.default);
  const given = prompt.format === "github" ? withDottedKeys(vars) : vars;
  for (const [k, v] of Object.entries(given)) context[k] = printableAsJson(v);

  return templates.map(({ role, line, template }) => {
    try {
      return { role, content: template(context) };
    } catch (err) {
      // Dynamic partials (`{{> (name)}}`) escape the static check; a recursion there overflows.
      const reason = err instanceof RangeError ? "partials recurse without end" : (err as Error).message;
      throw new RenderError(`${prompt.path}:${line}: cannot render message: ${reason}`, { cause: err });
    }
  });
}

// Turns the text of `.github/promptops.yml` into a validated PromptOpsConfig with defaults, or
// into diagnostics at the offending line:col (callers treat config errors as fatal).

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from "yaml";
import { closest } from "../closest.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics.js";
import { unreadableReason, type FileBlob, type TreeReader } from "../files.js";
import { CONFIG_PATH, DEFAULT_CONFIG, type PromptOpsConfig } from "./model.js";
import { CONFIG_SCHEMA } from "./schema.js";

export interface LoadedConfig {
  config: PromptOpsConfig;
  diagnostics: Diagnostic[];
}

/** A config file has no business with more aliases than this; more is a resource-exhaustion attempt. */
const MAX_ALIASES = 50;

// The schema is fixed and checked against the meta-schema by the tests: not validated again on
// every start (that costs as much as compiling it).
let validator: ValidateFunction | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, validateSchema: false }).compile(CONFIG_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

export function loadConfig(text: string | undefined, file: string = CONFIG_PATH): LoadedConfig {
  const { value, diagnostics } = loadYamlDocument(text, file, {
    validate,
    rule: "config",
    notAMapping: "the config must be a mapping of sections (prompts, gates, ...)",
  });
  if (value === undefined || diagnostics.length > 0) return { config: defaults(), diagnostics };
  return { config: mergeDefaults(DEFAULT_CONFIG, value) as PromptOpsConfig, diagnostics: [] };
}

export interface YamlDocumentRules {
  /** Validates the plain value (nulls dropped); returns Ajv's errors. */
  validate(value: unknown): ErrorObject[];
  /** Rule prefix: `<rule>-syntax`, `<rule>-schema`, `<rule>-unknown-key`. */
  rule: string;
  /** How messages name the whole document (default "the config"). */
  name?: string;
  /** The message when the document is not a mapping. */
  notAMapping: string;
}

export interface LoadedYamlDocument {
  /** The validated mapping, nulls dropped; undefined for an empty file or any error. */
  value?: Record<string, unknown>;
  diagnostics: Diagnostic[];
  /** Position (1-based) of the value at a key path, for later diagnostics about that value. */
  positionOf(path: readonly string[]): { line: number; column: number } | undefined;
}

/**
 * A YAML file checked against a JSON Schema, every problem a diagnostic at its line:col: the
 * one reader of PromptOps' own YAML files (the config, the environments file).
 */
export function loadYamlDocument(text: string | undefined, file: string, rules: YamlDocumentRules): LoadedYamlDocument {
  if (text === undefined || text.trim() === "") return { diagnostics: [], positionOf: () => undefined };

  const lineCounter = new LineCounter();
  // merge: `<<: *anchor` is applied, as YAML tools that read this file (yaml.v3, js-yaml) do.
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, merge: true });
  const at = (offset: number | undefined) => {
    const pos = lineCounter.linePos(offset ?? 0);
    return { line: pos.line, column: pos.col };
  };
  const diag = (offset: number | undefined, message: string, rule: string): Diagnostic => ({
    file,
    ...at(offset),
    severity: "error",
    message,
    rule: `${rules.rule}-${rule}`,
  });
  const positionOf = (path: readonly string[]) => {
    const node = valueNodeAt(doc.contents, [...path]);
    return node?.range ? at(node.range[0]) : undefined;
  };
  const failed = (diagnostics: Diagnostic[]): LoadedYamlDocument => ({ diagnostics, positionOf });

  if (doc.errors.length > 0) return failed(doc.errors.map((e) => diag(e.pos[0], firstLine(e.message), "syntax")));

  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (e) {
    return failed([diag(0, `cannot read YAML: ${(e as Error).message}`, "syntax")]);
  }
  if (value === null || value === undefined) return { diagnostics: [], positionOf };
  if (!isPlainObject(value)) return failed([diag(doc.contents?.range?.[0], rules.notAMapping, "schema")]);

  // `gates:` with nothing under it means "no settings here", not "gates is null".
  const user = dropNulls(value);
  const errors = rules.validate(user);
  if (errors.length > 0) {
    const diagnostics = errors.map((e) => {
      const path = pointerSegments(e.instancePath);
      if (e.keyword === "additionalProperties") {
        const key = String((e.params as { additionalProperty: string }).additionalProperty);
        const known = Object.keys((e.parentSchema as { properties?: object }).properties ?? {});
        const hint = closest(key, known);
        const where = path.length > 0 ? ` in ${displayPath(path)}` : "";
        const suffix = hint ? ` (did you mean ${hint}?)` : known.length ? ` (expected one of: ${known.join(", ")})` : "";
        return diag(keyNodeAt(doc.contents, [...path, key])?.range?.[0], `unknown key "${key}"${where}${suffix}`, "unknown-key");
      }
      return diag(valueNodeAt(doc.contents, path)?.range?.[0], schemaMessage(path, e, rules.name), "schema");
    });
    return failed(sortDiagnostics(dedupe(diagnostics)));
  }
  return { value: user, diagnostics: [], positionOf };
}

/** Reads and loads `.github/promptops.yml` from a revision (one read). */
export async function readConfig(tree: TreeReader, file: string = CONFIG_PATH): Promise<LoadedConfig> {
  const { config, diagnostics } = configFromBlob((await tree.read([file])).get(file) ?? { kind: "missing" }, file);
  return { config, diagnostics };
}

/**
 * The config from the file as read (the one reader every host and command goes through): a
 * missing file means defaults; a binary or oversized one is an error, never silently defaults.
 */
export function configFromBlob(blob: FileBlob, file: string = CONFIG_PATH): LoadedConfig & { missing: boolean } {
  switch (blob.kind) {
    case "missing":
      return { ...loadConfig(undefined, file), missing: true };
    case "text":
      return { ...loadConfig(blob.text, file), missing: false };
    default: {
      const why = blob.kind === "binary" ? "is not UTF-8 text" : unreadableReason(blob);
      return {
        config: defaults(),
        diagnostics: [{ file, line: 1, column: 1, severity: "error", message: `${file} ${why}`, rule: "config-syntax" }],
        missing: false,
      };
    }
  }
}

function defaults(): PromptOpsConfig {
  return structuredClone(DEFAULT_CONFIG);
}

function schemaMessage(path: string[], e: ErrorObject, root = "the config"): string {
  const name = path.length > 0 ? displayPath(path) : root;
  switch (e.keyword) {
    case "type": {
      const expected = String((e.params as { type: string }).type).replace(",", " or ");
      return `${name} must be ${article(expected)}, not ${describe(e.data)}`;
    }
    case "enum":
      return `${name} must be one of: ${((e.params as { allowedValues: unknown[] }).allowedValues).join(", ")}`;
    case "required":
      return `${name} is missing "${(e.params as { missingProperty: string }).missingProperty}"`;
    default:
      return `${name} ${e.message ?? "is invalid"}`;
  }
}

function article(type: string): string {
  const word = type === "integer" ? "an integer" : type === "object" ? "a mapping" : type === "array" ? "a list" : `a ${type}`;
  return word;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  if (typeof value === "object") return "a mapping";
  return `${typeof value} ${JSON.stringify(value)}`;
}

function displayPath(path: string[]): string {
  return path.map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : /^[\w-]+$/.test(p) ? (i === 0 ? p : `.${p}`) : `["${p}"]`)).join("");
}

function pointerSegments(pointer: string): string[] {
  if (pointer === "") return [];
  return pointer.slice(1).split("/").map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

function pairAt(node: unknown, key: string) {
  if (!isMap(node)) return undefined;
  return node.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
}

function valueNodeAt(root: unknown, path: string[]): Node | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (isSeq(node)) node = node.items[Number(seg)];
    else node = pairAt(node, seg)?.value;
    if (node === undefined || node === null) return undefined;
  }
  return node as Node;
}

function keyNodeAt(root: unknown, path: string[]): Node | undefined {
  const parent = valueNodeAt(root, path.slice(0, -1));
  const key = pairAt(parent, path[path.length - 1]!)?.key;
  return isScalar(key) ? key : undefined;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function dropNulls(v: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (x === null) continue;
    out[k] = isPlainObject(x) ? dropNulls(x) : x;
  }
  return out;
}

/** Objects merge key by key; anything else (lists included) replaces the default. */
function mergeDefaults(base: unknown, user: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(user)) return structuredClone(user);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [k, v] of Object.entries(user)) out[k] = k in out ? mergeDefaults(out[k], v) : structuredClone(v);
  return out;
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, "");
}

function dedupe(ds: Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  return ds.filter((d) => {
    const k = `${d.line}:${d.column}:${d.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

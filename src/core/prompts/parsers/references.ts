// Replaces Prompty's `${file:path}` front-matter values by the referenced file's content (JSON
// and YAML parsed, text as is), from the files the caller read at the same revision, and checks
// where `${env:NAME}` values sit. Each problem is reported at the reference's line.

import { parse as parseYamlValue } from "yaml";
import { unreadableReason } from "../../files.js";
import { referencedFileType, referenceOf, resolveReferencePath } from "../references.js";
import type { ParseContext } from "./context.js";
import { isRecord, type FieldReader } from "./fields.js";
import { MAX_ALIAS_COUNT, type YamlPath } from "./yaml.js";

const RULE = "file-reference";

/** Resolves every reference in the front matter, in place (a failed one is removed so it is reported once). */
export function substituteReferences(r: FieldReader, promptPath: string, ctx: ParseContext): void {
  // YAML aliases share a node, and one may contain itself (`a: &x {b: *x}`): each is walked once.
  const seen = new WeakSet<object>();
  const walk = (value: unknown, path: YamlPath, replace: (next: unknown) => void): void => {
    const ref = referenceOf(value);
    if (ref?.kind === "file") {
      const loaded = loadReference(r, promptPath, ref.target, path, ctx);
      replace(loaded);
      return;
    }
    if (ref?.kind === "env") {
      checkEnvReference(r, value as string, ref.name, path, ctx);
      return;
    }
    if (typeof value === "object" && value !== null) {
      if (seen.has(value)) return;
      seen.add(value);
    }
    if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...path, i], (next) => (value[i] = next)));
    } else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) walk(item, [...path, key], (next) => (value[key] = next));
    }
  };
  const root = r.src.value;
  if (isRecord(root)) for (const [key, item] of Object.entries(root)) walk(item, [key], (next) => (root[key] = next));
}

function loadReference(r: FieldReader, promptPath: string, target: string, at: YamlPath, ctx: ParseContext): unknown {
  const pos = r.src.valuePos(at);
  const fail = (message: string): undefined => {
    ctx.error(pos.line, pos.column, message, RULE);
    return undefined;
  };
  const resolved = resolveReferencePath(promptPath, target);
  if ("error" in resolved) return fail(resolved.error);
  const { path } = resolved;
  const blob = ctx.files.get(path) ?? { kind: "missing" as const };
  if (blob.kind === "missing") return fail(`\`\${file:${target}}\`: ${path} does not exist`);
  if (blob.kind !== "text") return fail(`\`\${file:${target}}\`: ${path} ${unreadableReason(blob)}`);
  ctx.referenced.push(path);
  const type = referencedFileType(path);
  try {
    if (type === "json") return JSON.parse(blob.text);
    if (type === "yaml") return parseYamlValue(blob.text, { maxAliasCount: MAX_ALIAS_COUNT, logLevel: "error" });
  } catch (err) {
    return fail(`\`\${file:${target}}\`: ${path} is not valid ${type === "json" ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`);
  }
  return blob.text;
}

/**
 * Where Prompty reads `${env:NAME}` PromptOps never does: a reviewed prompt must mean the same on
 * every machine, and the value may be a secret that must not reach a report. Connection settings
 * (endpoint, key, API version) are PromptOps' own provider configuration, so there the reference
 * is simply unused; in the model name or a model parameter the request would be wrong, so it is
 * an error; anywhere else the text is used as written, with a warning.
 */
function checkEnvReference(r: FieldReader, written: string, name: string, at: YamlPath, ctx: ParseContext): void {
  const pos = r.src.valuePos(at);
  const shown = written.trim();
  const [top, section, key] = at;
  if (top === "model") {
    const modelName = at.length === 1 || section === "id" || section === "provider" || (section === "configuration" && (key === "name" || key === "model" || key === "azure_deployment" || key === "type"));
    if (modelName) {
      ctx.error(pos.line, pos.column, `\`${shown}\`: the model is read from the environment variable ${name}; PromptOps does not read prompts' environment variables (the review must run the same model on every machine): write the model name`, "env-reference");
      return;
    }
    if (section === "parameters" || section === "options") {
      ctx.error(pos.line, pos.column, `\`${shown}\`: a model parameter from the environment variable ${name} is not read (PromptOps does not read prompts' environment variables): write the value`, "env-reference");
      return;
    }
    if (section === "configuration" || section === "connection") return;
  }
  ctx.warning(pos.line, pos.column, `\`${shown}\` is not resolved: PromptOps does not read prompts' environment variables, so the text is used as written`, "env-reference");
}

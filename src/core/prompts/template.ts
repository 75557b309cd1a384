// Static analysis of a Handlebars template: which variables and partials it uses, where, and
// whether it parses at all. Lint and the dependency graph build on it; nothing is rendered.

import Handlebars from "handlebars";
import type { Prompt, PromptFormat } from "./model.js";

export interface TemplateRef {
  name: string;
  /** 1-based file line (the template's `startLine` + offset). */
  line: number;
  /** 1-based column within that line of the template text. */
  column: number;
}

export interface TemplateError {
  message: string;
  line: number;
  column: number;
}

export interface TemplateAnalysis {
  /** Root names of the values the template reads, one entry per use, in order. */
  variables: TemplateRef[];
  /** `{{> name}}` partials, one entry per use, in order (inline partials excluded). */
  partials: TemplateRef[];
  errors: TemplateError[];
  /** Messages read as gh-models plain text rather than Handlebars (see `templateMode`), with why. */
  literal?: { line: number; reason: string }[];
}

/** Built-in Handlebars helpers and Dotprompt's: names used as helpers, never as variables. */
export const TEMPLATE_HELPERS: ReadonlySet<string> = new Set([
  "role",
  "history",
  "media",
  "json",
  "section",
  "if",
  "unless",
  "each",
  "with",
  "lookup",
  "log",
  "ifEquals",
  "unlessEquals",
  "blockHelperMissing",
  "helperMissing",
]);

/**
 * Names Handlebars refuses to read (since 4.6 it blocks prototype access: `{{constructor.constructor
 * "..."}}` was a way to run code), so a template using one passes a naive parse and fails when
 * rendered. Lint reports them up front.
 */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set([
  "constructor",
  "prototype",
  "__proto__",
  "__defineGetter__",
  "__defineSetter__",
  "__lookupGetter__",
  "__lookupSetter__",
]);

/** Block helpers whose body runs with a new `this`, so bare names inside are relative to it. */
const CONTEXT_HELPERS = new Set(["each", "with"]);

interface Scope {
  changesContext: boolean;
  blockParams: readonly string[];
}

type Node = hbs.AST.Node;
type Loc = hbs.AST.SourceLocation | undefined;

export function analyzeTemplate(text: string, startLine = 1): TemplateAnalysis {
  const result: TemplateAnalysis = { variables: [], partials: [], errors: [] };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(text);
  } catch (err) {
    result.errors.push(templateError(err, text, startLine));
    return result;
  }
  const inlinePartials = new Set<string>();
  const partials: TemplateRef[] = [];
  const at = (loc: Loc) => ({ line: startLine + (loc?.start.line ?? 1) - 1, column: (loc?.start.column ?? 0) + 1 });

  /** An error for a path that reads a prototype property; true when there was one. */
  const prototypeAccess = (path: Node): boolean => {
    if (path.type !== "PathExpression") return false;
    const p = path as hbs.AST.PathExpression;
    const name = p.parts.find((part) => PROTOTYPE_NAMES.has(part));
    if (name === undefined) return false;
    result.errors.push({
      message: `\`{{${p.original}}}\` reads \`${name}\`, a JavaScript prototype property Handlebars refuses to read (rendering would fail): use another variable name`,
      ...at(p.loc),
    });
    return true;
  };

  const visitPath = (path: hbs.AST.PathExpression, scopes: readonly Scope[]) => {
    if (prototypeAccess(path)) return;
    const original = path.original;
    if (path.data) {
      // `@root.x` is the root variable x; other @data (`@index`, `@key`) are not variables.
      if (path.parts[0] === "root" && path.parts.length > 1) result.variables.push({ name: path.parts[1], ...at(path.loc) });
      return;
    }
    if (path.parts.length === 0) return; // `this`, `.`, `..`
    const explicitThis = /^(this|\.)\//.test(original) || /^this\./.test(original);
    const contexts = scopes.filter((s) => s.changesContext).length;
    if (path.depth === 0 && !explicitThis && scopes.some((s) => s.blockParams.includes(path.parts[0]))) return;
    if (contexts - path.depth > 0) return; // relative to an #each / #with context
    result.variables.push({ name: path.parts[0], ...at(path.loc) });
  };

  const visitExpr = (expr: Node | undefined, scopes: readonly Scope[]) => {
    if (!expr) return;
    if (expr.type === "PathExpression") visitPath(expr as hbs.AST.PathExpression, scopes);
    else if (expr.type === "SubExpression") {
      const sub = expr as hbs.AST.SubExpression;
      visitCall(sub.path, sub.params, sub.hash, scopes, true);
    }
  };

  /** A helper call: the callee is not a variable, its arguments are. */
  const visitCall = (path: Node, params: Node[], hash: hbs.AST.Hash | undefined, scopes: readonly Scope[], isCall: boolean) => {
    if (!isCall) visitExpr(path, scopes);
    else prototypeAccess(path);
    for (const p of params) visitExpr(p, scopes);
    for (const pair of hash?.pairs ?? []) visitExpr(pair.value, scopes);
  };

  const isHelperName = (path: Node) =>
    path.type === "PathExpression" &&
    !(path as hbs.AST.PathExpression).data &&
    (path as hbs.AST.PathExpression).parts.length === 1 &&
    TEMPLATE_HELPERS.has((path as hbs.AST.PathExpression).original);

  const visitProgram = (prog: hbs.AST.Program | undefined, scopes: readonly Scope[]) => {
    for (const stmt of prog?.body ?? []) visitStatement(stmt, scopes);
  };

  const visitStatement = (node: Node, scopes: readonly Scope[]) => {
    switch (node.type) {
      case "MustacheStatement": {
        const m = node as hbs.AST.MustacheStatement;
        const hasArgs = m.params.length > 0 || (m.hash?.pairs.length ?? 0) > 0;
        if (!hasArgs && isHelperName(m.path)) return;
        visitCall(m.path, m.params, m.hash, scopes, hasArgs);
        return;
      }
      case "BlockStatement": {
        const b = node as hbs.AST.BlockStatement;
        const hasArgs = b.params.length > 0 || (b.hash?.pairs.length ?? 0) > 0;
        const helper = b.path.type === "PathExpression" ? (b.path as hbs.AST.PathExpression).original : "";
        // `{{#items}}...{{/items}}` with no arguments is a Mustache section over a variable.
        const section = !hasArgs && !isHelperName(b.path);
        visitCall(b.path, b.params, b.hash, scopes, !section);
        const changesContext = section || CONTEXT_HELPERS.has(helper);
        visitProgram(b.program, [...scopes, { changesContext, blockParams: b.program?.blockParams ?? [] }]);
        visitProgram(b.inverse, scopes);
        return;
      }
      case "PartialStatement":
      case "PartialBlockStatement": {
        const p = node as hbs.AST.PartialStatement & { program?: hbs.AST.Program };
        const name = partialName(p.name as Node);
        if (name !== undefined) partials.push({ name, ...at(p.loc) });
        else visitExpr(p.name as Node, scopes);
        for (const param of p.params) visitExpr(param, scopes);
        for (const pair of p.hash?.pairs ?? []) visitExpr(pair.value, scopes);
        if (p.program) visitProgram(p.program, scopes);
        return;
      }
      case "DecoratorBlock": {
        const d = node as hbs.AST.DecoratorBlock;
        const first = d.params[0];
        if (first?.type === "StringLiteral") inlinePartials.add((first as hbs.AST.StringLiteral).value);
        visitProgram(d.program, scopes);
        return;
      }
      default:
        return; // content, comments, decorators
    }
  };

  visitProgram(program, []);
  result.partials = partials.filter((p) => !inlinePartials.has(p.name));
  return result;
}

function partialName(name: Node): string | undefined {
  if (name.type === "PathExpression") return (name as hbs.AST.PathExpression).original;
  if (name.type === "StringLiteral") return (name as hbs.AST.StringLiteral).value;
  if (name.type === "NumberLiteral") return String((name as hbs.AST.NumberLiteral).value);
  return undefined;
}

/** The last block opened and never closed (`{{#if x}}` with no `{{/if}}`), for a better error line. */
function unclosedBlock(text: string): { name: string; line: number; column: number } | undefined {
  const stack: { name: string; offset: number }[] = [];
  for (const m of text.matchAll(/\{\{~?\s*([#^/])\s*[*>]?\s*([^\s}~]+)/g)) {
    if (m[1] === "/") {
      const at = stack.map((b) => b.name).lastIndexOf(m[2]);
      if (at !== -1) stack.length = at;
    } else {
      stack.push({ name: m[2], offset: m.index });
    }
  }
  const open = stack.pop();
  if (!open) return undefined;
  const before = text.slice(0, open.offset);
  const line = before.split("\n").length;
  return { name: open.name, line, column: open.offset - before.lastIndexOf("\n") };
}

function templateError(err: unknown, text: string, startLine: number): TemplateError {
  const e = err as { message?: string; lineNumber?: number; column?: number };
  const message = String(e.message ?? err);
  const lines = message.split("\n");
  const parseError = /^Parse error on line (\d+):/.exec(lines[0]);
  if (parseError) {
    const expected = lines[lines.length - 1];
    if (/got 'EOF'$/.test(expected)) {
      const open = unclosedBlock(text);
      if (open) return { message: `template syntax error: \`{{#${open.name}}}\` is never closed with \`{{/${open.name}}}\``, line: startLine + open.line - 1, column: open.column };
    }
    const detail = /got 'EOF'$/.test(expected) ? "the template ends inside an unclosed block or mustache" : expected;
    return { message: `template syntax error: ${detail}`, line: startLine + Number(parseError[1]) - 1, column: 1 };
  }
  return {
    message: `template syntax error: ${lines[0].replace(/ - \d+:\d+$/, "")}`,
    line: startLine + (typeof e.lineNumber === "number" ? e.lineNumber : 1) - 1,
    column: typeof e.column === "number" ? e.column + 1 : 1,
  };
}

/**
 * How one message of a prompt is templated.
 *
 * Dotprompt, Prompty and Markdown prompts are Handlebars. A GitHub `.prompt.yml` is Handlebars
 * too, since partials and conditionals there are a PromptOps extension, but gh-models itself only
 * replaces exact `{{name}}` slots and leaves every other `{{...}}` as text. So when
 * Handlebars cannot run a .prompt.yml message (a JSON example `{{"k": 1}}`, Go's `{{.Name}}`,
 * Jinja's `{{ x | upper }}`, `{{user name}}` calling a helper that does not exist), the message
 * is read the way gh does ("gh-literal") instead of failing lint and every render, which gh would
 * not. A message that uses Handlebars-only syntax (`{{#`, `{{/`, `{{^`, `{{>`, `{{!`, `{{else`)
 * was meant as Handlebars, so its mistakes stay `template-syntax` errors.
 *
 * Deliberately still Handlebars where gh differs but nothing breaks: `{{ name }}` renders the value
 * (gh leaves it as text; the author meant the value) and `{{a.b}}` is a path (a testData key
 * written `a.b` is found as well, see `renderMessages`).
 */
export type TemplateMode = { mode: "handlebars" } | { mode: "gh-literal"; reason: string; line: number };

const HANDLEBARS_ONLY = /\{\{~?\s*(?:[#/^>!]|else\b)/;

/** `startLine`: file line of the text's first line, for the position in a gh-literal result. */
export function templateMode(format: PromptFormat, text: string, startLine = 1): TemplateMode {
  if (format !== "github" || HANDLEBARS_ONLY.test(text)) return { mode: "handlebars" };
  let program: hbs.AST.Program;
  try {
    program = Handlebars.parse(text);
  } catch (err) {
    return { mode: "gh-literal", reason: "Handlebars cannot parse this line", line: templateError(err, text, startLine).line };
  }
  const unknown = unknownHelperCall(program);
  if (unknown === undefined) return { mode: "handlebars" };
  const line = startLine + (unknown.loc?.start.line ?? 1) - 1;
  return { mode: "gh-literal", reason: `\`${unknown.name}\` would be a call to a helper that does not exist`, line };
}

/** The first helper call (`{{name arg}}`) whose helper does not exist; Handlebars fails on it at render. */
function unknownHelperCall(node: unknown): { name: string; loc: Loc } | undefined {
  if (Array.isArray(node)) {
    for (const item of node) {
      const found = unknownHelperCall(item);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof node !== "object" || node === null) return undefined;
  const n = node as { type?: string; path?: hbs.AST.Node; params?: unknown[]; hash?: hbs.AST.Hash };
  if ((n.type === "MustacheStatement" || n.type === "BlockStatement" || n.type === "SubExpression") && n.path) {
    const isCall = (n.params?.length ?? 0) > 0 || (n.hash?.pairs.length ?? 0) > 0 || n.type === "SubExpression";
    const path = n.path as hbs.AST.PathExpression;
    const name = path.type === "PathExpression" ? path.original : String((n.path as hbs.AST.StringLiteral).original ?? "");
    const known = path.type === "PathExpression" && !path.data && path.parts.length === 1 && TEMPLATE_HELPERS.has(path.original);
    if (isCall && !known) return { name, loc: (node as { loc?: Loc }).loc };
  }
  for (const [key, value] of Object.entries(node)) {
    if (key !== "loc" && typeof value === "object") {
      const found = unknownHelperCall(value);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

const GH_SLOT = /\{\{([A-Za-z_$][\w$.-]*)\}\}/g;

/** The `{{name}}` slots gh-models would fill, as variables at file positions. */
function ghLiteralVariables(text: string, startLine: number): TemplateRef[] {
  const out: TemplateRef[] = [];
  for (const m of text.matchAll(GH_SLOT)) {
    const before = text.slice(0, m.index);
    const lineIndex = before.split("\n").length - 1;
    out.push({ name: m[1], line: startLine + lineIndex, column: m.index - before.lastIndexOf("\n") });
  }
  return out;
}

/** Variables, partials and template errors of every message, at file lines. */
export function promptTemplateRefs(prompt: Prompt): TemplateAnalysis {
  const out: TemplateAnalysis = { variables: [], partials: [], errors: [] };
  for (const message of prompt.messages) {
    const mode = templateMode(prompt.format, message.content, message.line);
    if (mode.mode === "gh-literal") {
      out.variables.push(...ghLiteralVariables(message.content, message.line));
      (out.literal ??= []).push({ line: mode.line, reason: mode.reason });
      continue;
    }
    const a = analyzeTemplate(message.content, message.line);
    out.variables.push(...a.variables);
    out.partials.push(...a.partials);
    out.errors.push(...a.errors);
  }
  return out;
}

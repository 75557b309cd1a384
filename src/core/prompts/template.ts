// Static analysis of a Handlebars template: which variables and partials it uses, where, and
// whether it parses at all. Lint and the dependency graph build on it; nothing is rendered.

import Handlebars from "handlebars";
import type { Prompt } from "./model.js";

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

  const visitPath = (path: hbs.AST.PathExpression, scopes: readonly Scope[]) => {
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

/** Variables, partials and template errors of every message, at file lines. */
export function promptTemplateRefs(prompt: Prompt): TemplateAnalysis {
  const out: TemplateAnalysis = { variables: [], partials: [], errors: [] };
  for (const message of prompt.messages) {
    const a = analyzeTemplate(message.content, message.line);
    out.variables.push(...a.variables);
    out.partials.push(...a.partials);
    out.errors.push(...a.errors);
  }
  return out;
}

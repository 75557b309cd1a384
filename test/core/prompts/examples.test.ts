import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, posix, resolve } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { parse as parseYaml } from "yaml";
import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { partialNameOf, promptFormatOf } from "../../../src/core/prompts/formats.js";
import type { Prompt } from "../../../src/core/prompts/model.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { partialClosure, renderMessages } from "../../../src/core/prompts/render.js";
import { analyzeTemplate, promptTemplateRefs } from "../../../src/core/prompts/template.js";

const ROOT = resolve("examples");

function walk(dir: string, prefix = ""): string[] {
  return readdirSync(join(ROOT, dir === "" ? "." : dir)).flatMap((name) => {
    const rel = prefix === "" ? name : `${prefix}/${name}`;
    return statSync(join(ROOT, rel)).isDirectory() ? walk(rel, rel) : [rel];
  });
}

const files = walk("");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");
const partialDirs = DEFAULT_CONFIG.prompts.partials;
const partials = new Map(
  files.flatMap((f) => {
    const name = partialNameOf(f, partialDirs);
    return name === undefined ? [] : [[name, read(f)] as const];
  }),
);
const promptFiles = files.filter((f) => promptFormatOf(f) !== undefined && partialNameOf(f, partialDirs) === undefined);
const prompts = new Map<string, Prompt>();
for (const f of promptFiles) {
  const result = parsePrompt(f, read(f));
  if (result.prompt) prompts.set(f, result.prompt);
}

/** Golden rows as `{vars, expected}`, from the prompt's golden file or its inline testData. */
function goldenRows(prompt: Prompt): { vars: Record<string, unknown>; expected?: string }[] {
  if (prompt.golden) {
    const path = posix.join(posix.dirname(prompt.path), prompt.golden);
    const text = read(path);
    if (path.endsWith(".jsonl")) return text.trim().split("\n").map((l) => JSON.parse(l));
    if (path.endsWith(".csv")) {
      const rows = parseCsv(text, { columns: true }) as Record<string, string>[];
      return rows.map(({ id: _id, expected, ...vars }) => ({ vars, expected }));
    }
    throw new Error(`unexpected golden file ${path}`);
  }
  return prompt.testData.map(({ expected, ...vars }) => ({ vars, expected: expected as string | undefined }));
}

describe("the example prompt library", () => {
  it("has the expected layout", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        ".github/promptops.yml",
        ".github/PROMPTOWNERS",
        "prompts/support/ticket-summary.prompt.yml",
        "prompts/support/ticket-summary.golden.jsonl",
        "prompts/support/reply.prompt",
        "prompts/partials/tone.md",
        "prompts/classify/intent.prompty",
        "prompts/classify/intent.golden.csv",
        "prompts/docs/release-notes.prompt.md",
      ]),
    );
    expect(new Set(promptFiles.map((f) => promptFormatOf(f)))).toEqual(new Set(["github", "dotprompt", "prompty", "markdown"]));
    expect([...partials.keys()]).toEqual(["tone"]);
  });

  it("has a config with prompt globs and a PROMPTOWNERS file in CODEOWNERS syntax", () => {
    const config = parseYaml(read(".github/promptops.yml"));
    expect(config.prompts.include.length).toBeGreaterThan(0);
    const rules = read(".github/PROMPTOWNERS")
      .split("\n")
      .filter((l) => l.trim() !== "" && !l.startsWith("#"))
      .map((l) => l.trim().split(/\s+/));
    expect(rules).toContainEqual(["prompts/support/", "@acme/support-ai"]);
    for (const [, ...owners] of rules) {
      expect(owners.length).toBeGreaterThan(0);
      for (const o of owners) expect(o).toMatch(/^@[\w-]+(\/[\w-]+)?$/);
    }
  });

  describe.each(promptFiles)("%s", (file) => {
    const result = parsePrompt(file, read(file));

    it("parses with no diagnostics at all", () => {
      expect(result.diagnostics).toEqual([]);
      expect(result.prompt).toBeDefined();
    });

    it("has a semver version, an id, a provider/model, owners and evaluators", () => {
      const p = prompts.get(file)!;
      expect(p.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(p.id).toMatch(/^[a-z]+\/[a-z-]+$/);
      expect(p.model).toMatch(/^[a-z]+\/[\w.-]+$/);
      expect(p.owners.length).toBeGreaterThan(0);
      expect(p.evaluators.length).toBeGreaterThan(0);
    });

    it("declares exactly the variables its template (and partials) use", () => {
      const p = prompts.get(file)!;
      const refs = promptTemplateRefs(p);
      expect(refs.errors).toEqual([]);
      const used = new Set(refs.variables.map((v) => v.name));
      for (const m of p.messages) {
        const closure = partialClosure(m.content, partials);
        expect(closure).toMatchObject({ missing: [] });
        expect(closure.cycle).toBeUndefined();
        for (const name of closure.used) for (const v of analyzeTemplate(partials.get(name)!).variables) used.add(v.name);
      }
      expect([...used].sort()).toEqual(p.variables.map((v) => v.name).sort());
    });

    it("has golden rows that give every required variable and render", () => {
      const p = prompts.get(file)!;
      const rows = goldenRows(p);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        for (const v of p.variables.filter((v) => v.required)) expect(Object.keys(row.vars)).toContain(v.name);
        expect(typeof row.expected).toBe("string");
        const rendered = renderMessages(p, row.vars, partials);
        expect(rendered.map((m) => m.role)).toEqual(p.messages.map((m) => m.role));
        for (const m of rendered) expect(m.content).not.toMatch(/\{\{|\[object Object\]/);
      }
    });
  });

  it("ticket-summary's golden set has 6 to 10 rows with vars and expected", () => {
    const rows = read("prompts/support/ticket-summary.golden.jsonl").trim().split("\n").map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThanOrEqual(6);
    expect(rows.length).toBeLessThanOrEqual(10);
    for (const r of rows) expect(Object.keys(r).sort()).toEqual(["expected", "id", "vars"]);
  });

  it("renders the Dotprompt reply with its tone partial", () => {
    const p = prompts.get("prompts/support/reply.prompt")!;
    const [system, user] = renderMessages(p, { customer_name: "Dana", ticket: "Refund please" }, partials);
    expect(system.content).toContain('Sign the reply as "The Acme Support Team".');
    expect(user.content).toBe("Customer: Dana\n\nTicket:\nRefund please\n\nWrite the reply.");
  });
});

import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { analyzeTemplate, promptTemplateRefs } from "../../../src/core/prompts/template.js";

const names = (refs: { name: string }[]) => refs.map((r) => r.name);

describe("analyzeTemplate", () => {
  it("finds variables with absolute lines and 1-based columns", () => {
    const a = analyzeTemplate("Hello {{name}},\nyour order {{order.id}} ships {{ when }}.", 10);
    expect(a.errors).toEqual([]);
    expect(a.variables).toEqual([
      { name: "name", line: 10, column: 9 },
      { name: "order", line: 11, column: 14 },
      { name: "when", line: 11, column: 34 },
    ]);
  });

  it("counts helper arguments and hash values but not helpers", () => {
    const a = analyzeTemplate(
      '{{#if urgent}}!{{/if}}{{#unless quiet}}{{/unless}}{{json payload indent=2}}{{lookup table key}}{{log note}}{{role "user"}}{{history}}{{media url=image}}{{section "x"}}{{#with (lookup a b) as |c|}}{{c.d}}{{/with}}',
    );
    expect(names(a.variables)).toEqual(["urgent", "quiet", "payload", "table", "key", "note", "image", "a", "b"]);
  });

  it("excludes this, @data and names relative to #each / #with, but keeps ../ and @root paths to the root", () => {
    const a = analyzeTemplate(
      [
        "{{#each items as |item i|}}",
        "{{item.name}} {{i}} {{@index}} {{this}} {{title}} {{../prefix}} {{@root.suffix}}",
        "{{#each item.tags}}{{this}} {{../../deep}}{{/each}}",
        "{{else}}{{empty_message}}",
        "{{/each}}",
        "{{#with customer}}{{name}} {{../greeting}}{{/with}}",
        "{{this.top}} {{./also_top}}",
      ].join("\n"),
    );
    expect(names(a.variables)).toEqual(["items", "prefix", "suffix", "deep", "empty_message", "customer", "greeting", "top", "also_top"]);
  });

  it("treats a Mustache section as a variable that opens a context", () => {
    expect(names(analyzeTemplate("{{#people}}{{name}}{{/people}}{{^people}}{{nobody}}{{/people}}").variables)).toEqual(["people", "people", "nobody"]);
  });

  it("finds partials, their arguments, and skips inline partials", () => {
    const a = analyzeTemplate('{{> tone}}\n{{> support/signature who=agent}}\n{{#> layout}}x{{/layout}}\n{{#*inline "local"}}hi{{/inline}}{{> local}}{{> (pick style)}}', 3);
    expect(a.partials).toEqual([
      { name: "tone", line: 3, column: 1 },
      { name: "support/signature", line: 4, column: 1 },
      { name: "layout", line: 5, column: 1 },
    ]);
    expect(names(a.variables)).toEqual(["agent", "style"]);
  });

  it("reports syntax errors at absolute lines instead of throwing", () => {
    const unclosed = analyzeTemplate("ok\n{{#if x}}\nnever closed", 20);
    expect(unclosed.errors).toEqual([{ message: expect.stringContaining("`{{#if}}` is never closed"), line: 21, column: 1 }]);
    expect(analyzeTemplate("a\nb {{name", 1).errors).toEqual([expect.objectContaining({ line: 2 })]);
    const mismatch = analyzeTemplate("{{#if x}}{{/each}}", 5);
    expect(mismatch.errors[0]).toMatchObject({ line: 5, message: expect.stringContaining("if doesn't match each") });
    expect(analyzeTemplate("{{foo", 1).errors).toHaveLength(1);
  });
});

describe("promptTemplateRefs", () => {
  it("aggregates every message with file lines", () => {
    const text = [
      "name: x", // 1
      "messages:", // 2
      "  - role: system", // 3
      "    content: |", // 4
      "      You are {{persona}}.", // 5
      "      {{> tone}}", // 6
      "  - role: user", // 7
      '    content: "Question: {{question}}"', // 8
    ].join("\n");
    const prompt = parsePrompt("a.prompt.yml", text).prompt!;
    const refs = promptTemplateRefs(prompt);
    expect(refs.variables).toEqual([
      { name: "persona", line: 5, column: 11 },
      { name: "question", line: 8, column: 13 },
    ]);
    expect(refs.partials).toEqual([{ name: "tone", line: 6, column: 1 }]);
    expect(refs.errors).toEqual([]);
  });

  it("points template errors in front-matter formats at the file line", () => {
    const prompt = parsePrompt("a.prompt", "---\nmodel: m\n---\n{{role \"system\"}}\nok\n{{role \"user\"}}\nHi {{#each items}}\n").prompt!;
    expect(promptTemplateRefs(prompt).errors).toEqual([expect.objectContaining({ line: 7 })]);
  });
});

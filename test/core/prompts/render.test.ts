import type { Prompt } from "../../../src/core/prompts/model.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { partialClosure, renderMessages, RenderError } from "../../../src/core/prompts/render.js";

function prompt(text: string, path = "p.prompt"): Prompt {
  const result = parsePrompt(path, text);
  if (!result.prompt) throw new Error(JSON.stringify(result.diagnostics));
  return result.prompt;
}

const none = new Map<string, string>();

describe("renderMessages", () => {
  it("renders messages in order with their roles and escapes nothing", () => {
    const p = prompt('---\n---\n{{role "system"}}\nYou answer about {{topic}}.\n{{role "user"}}\nQ: {{question}}\n');
    expect(renderMessages(p, { topic: "<b>HTML</b> & co", question: "what's \"x\"?" }, none)).toEqual([
      { role: "system", content: "You answer about <b>HTML</b> & co." },
      { role: "user", content: "Q: what's \"x\"?" },
    ]);
  });

  it("prints objects and arrays as JSON, still allows paths and #each, and has a json helper", () => {
    const p = prompt("{{order}} | {{order.id}} | {{items}} | {{#each items}}[{{name}}]{{/each}} | {{json order indent=2}}");
    const [m] = renderMessages(p, { order: { id: 7, total: 9.5 }, items: [{ name: "a" }, { name: "b" }] }, none);
    expect(m.content).toBe('{"id":7,"total":9.5} | 7 | [{"name":"a"},{"name":"b"}] | [a][b] | {\n  "id": 7,\n  "total": 9.5\n}');
  });

  it("resolves nested partials from the map without escaping them either", () => {
    const partials = new Map([
      ["tone", "Be <warm>. {{> support/sign}}"],
      ["support/sign", "-- {{agent}} & team"],
    ]);
    const [m] = renderMessages(prompt("Hi {{name}}. {{> tone}}"), { name: "Ana", agent: "Bo" }, partials);
    expect(m.content).toBe("Hi Ana. Be <warm>. -- Bo & team");
  });

  it("throws RenderError for a missing partial", () => {
    expect(() => renderMessages(prompt("{{> nope}}"), {}, none)).toThrow(RenderError);
    expect(() => renderMessages(prompt("{{> nope}}"), {}, none)).toThrow(/partial "nope" not found/);
  });

  it("throws RenderError with the partial chain for a cycle", () => {
    const partials = new Map([
      ["a", "A {{> b}}"],
      ["b", "B {{> c}}"],
      ["c", "C {{> a}}"],
    ]);
    let error: unknown;
    try {
      renderMessages(prompt("start {{> a}}"), {}, partials);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(RenderError);
    expect((error as RenderError).partialChain).toEqual(["a", "b", "c", "a"]);
  });

  it("does not break on Dotprompt's role, history and media helpers inside a message", () => {
    const p = prompt("messages:\n  - role: user\n    content: 'before {{history}}{{media url=pic}}{{role \"user\"}}after {{x}}'\n", "p.prompt.yml");
    expect(renderMessages(p, { x: 1, pic: "http://x/y.png" }, none)).toEqual([{ role: "user", content: "before after 1" }]);
  });

  it("uses declared defaults for variables the case does not give", () => {
    const p = prompt("---\ninput:\n  schema:\n    lang?: string\n  default:\n    lang: en\n---\nIn {{lang}}: {{text}}");
    expect(renderMessages(p, { text: "hi" }, none)[0].content).toBe("In en: hi");
    expect(renderMessages(p, { text: "hi", lang: "fr" }, none)[0].content).toBe("In fr: hi");
  });

  it("turns a template syntax error into a RenderError", () => {
    expect(() => renderMessages(prompt("{{#if x}}never closed"), {}, none)).toThrow(RenderError);
  });

  it("catches runaway dynamic partial recursion", () => {
    const partials = new Map([["loop", "x{{> (whichPartial)}}"]]);
    const p = prompt("{{> (whichPartial)}}");
    expect(() => renderMessages(p, { whichPartial: () => "loop" }, partials)).toThrow(RenderError);
  });
});

describe("partialClosure", () => {
  const partials = new Map([
    ["a", "{{> b}} {{> c}}"],
    ["b", "{{> c}}"],
    ["c", "leaf {{> gone}}"],
    ["self", "{{> self}}"],
  ]);

  it("lists every partial used directly or transitively, and the missing ones", () => {
    expect(partialClosure("{{> a}} {{> missing}}", partials)).toEqual({ used: ["a", "b", "c"], missing: ["gone", "missing"] });
  });

  it("reports a self-cycle", () => {
    expect(partialClosure("{{> self}}", partials)).toEqual({ used: ["self"], missing: [], cycle: ["self", "self"] });
  });

  it("is empty for a template without partials", () => {
    expect(partialClosure("plain {{x}}", partials)).toEqual({ used: [], missing: [] });
  });
});

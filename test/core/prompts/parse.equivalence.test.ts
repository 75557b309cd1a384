import type { Prompt } from "../../../src/core/prompts/model.js";
import { parsePrompt } from "../../../src/core/prompts/parse.js";
import { fixture } from "./fixtures.js";

/** What must not differ between formats: everything but where things are written. */
function comparable(prompt: Prompt): unknown {
  const { path: _path, format: _format, positions: _positions, raw: _raw, ...rest } = prompt;
  return JSON.parse(JSON.stringify(rest, (key, value) => (key === "line" ? undefined : value)));
}

describe("the same prompt in every format", () => {
  const files = ["greeting.prompt.yml", "greeting.prompt", "greeting.prompty", "greeting.v2.prompty", "greeting.prompt.md"];
  const parsed = files.map((f) => ({ file: f, ...parsePrompt(`prompts/${f}`, fixture("prompts", "equivalence", f)) }));

  it("parses each without diagnostics", () => {
    for (const p of parsed) expect({ file: p.file, diagnostics: p.diagnostics }).toEqual({ file: p.file, diagnostics: [] });
  });

  it.each(files.slice(1))("%s gives the same model as the .prompt.yml", (file) => {
    const reference = parsed[0].prompt!;
    const other = parsed.find((p) => p.file === file)!.prompt!;
    expect(comparable(other)).toEqual(comparable(reference));
    expect(other.format).not.toBe(undefined);
  });

  it("has the expected content", () => {
    expect(comparable(parsed[0].prompt!)).toEqual({
      id: "shared/greeting",
      name: "Greeting",
      description: "Greets a person by name",
      version: "1.0.0",
      model: "openai/gpt-4o-mini",
      parameters: { temperature: 0.2, maxTokens: 200 },
      messages: [
        { role: "system", content: "You greet people warmly and briefly." },
        { role: "user", content: "Say hello to {{name}}." },
      ],
      variables: [{ name: "name", type: "string", required: true, description: "The person to greet" }],
      testData: [{ name: "Ada", expected: "Hello Ada" }],
      evaluators: [{ name: "says-hello", spec: { name: "says-hello", string: { contains: "Hello" } } }],
      owners: ["@acme/team"],
      golden: "greeting.golden.jsonl",
    });
  });
});

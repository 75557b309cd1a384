// `.prompt.yml` files read as gh-models reads them: its keys and types only, its built-in
// evaluators only, and bytes that are not UTF-8 reported where they are.
import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { blobFromBytes, memoryTree } from "../../../src/core/files.js";
import { lintWorkspace } from "../../../src/core/workspace/lint.js";
import { parsePrompt, parsePromptBlob } from "../../../src/core/prompts/parse.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";
import { fixture, fixtureBytes } from "./fixtures.js";

describe(".prompt.yml as gh-models reads it", () => {
  it("unknown keys, misspelt and mistyped model parameters are errors at file:line:col with a did-you-mean", () => {
    const { diagnostics } = parsePrompt("prompts/typos.prompt.yml", fixture("prompts", "real", "typos.prompt.yml"));
    expect(diagnostics.map(formatDiagnostic)).toEqual([
      "prompts/typos.prompt.yml:3:1: error: unknown key `modelParamters` (did you mean `modelParameters`?) [schema]",
      "prompts/typos.prompt.yml:10:1: error: unknown key `mesages` (did you mean `messages`?) [schema]",
      "prompts/typos.prompt.yml:6:3: error: unknown model parameter `temprature` (did you mean `temperature`?) [schema]",
      "prompts/typos.prompt.yml:7:14: error: `modelParameters.maxTokens` must be a whole number, not 12.5 [schema]",
      "prompts/typos.prompt.yml:8:9: error: `modelParameters.topP` must be a number, not a string [schema]",
      "prompts/typos.prompt.yml:9:3: warning: `modelParameters.seed` is not one of maxTokens, temperature, topP: gh models ignores it; PromptOps passes it to the provider [schema]",
    ]);
  });

  it("a far-off unknown key lists the keys gh models knows", () => {
    const { diagnostics } = parsePrompt("a.prompt.yml", "model: m\nflavour: x\nmessages:\n  - role: user\n    content: hi\n");
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, severity: "error", message: expect.stringContaining("known: name, description, model") })]);
  });

  it('`temperature: "hot"` is an error', () => {
    const { diagnostics } = parsePrompt("a.prompt.yml", 'model: m\nmodelParameters:\n  temperature: "hot"\nmessages:\n  - role: user\n    content: hi\n');
    expect(diagnostics.map(formatDiagnostic)).toEqual(["a.prompt.yml:3:16: error: `modelParameters.temperature` must be a number, not a string [schema]"]);
  });

  it("an unknown built-in evaluator is a lint error at its line; a known one is clean", async () => {
    const text = fixture("prompts", "real", "typos.prompt.yml");
    const ws = await loadWorkspace(memoryTree({ "prompts/typos.prompt.yml": text }), DEFAULT_CONFIG);
    const evaluatorDiagnostics = lintWorkspace(ws, DEFAULT_CONFIG).filter((d) => d.rule === "evaluator");
    expect(evaluatorDiagnostics.map(formatDiagnostic)).toEqual([
      expect.stringMatching(/^prompts\/typos\.prompt\.yml:22:1: error: evaluator "similar to expected": unknown evaluator `uses: github\/nonexistent` \(known: github\/similarity, /),
    ]);
  });

  it("invalid UTF-8 is an error at the line and column of the bad bytes, not `binary` at line 1", () => {
    const { diagnostics } = parsePromptBlob("prompts/latin1.prompt.yml", blobFromBytes(fixtureBytes("prompts", "real", "latin1.prompt.yml")));
    expect(diagnostics).toEqual([expect.objectContaining({ line: 5, column: 22, severity: "error", rule: "invalid-utf8" })]);
  });

  it("bytes with NUL are still binary", () => {
    expect(parsePromptBlob("a.prompt.yml", blobFromBytes(new Uint8Array([0x61, 0, 0x62]))).diagnostics[0].rule).toBe("binary-file");
  });
});

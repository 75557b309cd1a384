import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { blobFromBytes, memoryTree } from "../../../src/core/files.js";
import { lintWorkspace } from "../../../src/core/workspace/lint.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";

async function lint(files: Record<string, string>, config: PromptOpsConfig = DEFAULT_CONFIG, baseFiles?: Record<string, string>) {
  const ws = await loadWorkspace(memoryTree(files), config);
  const base = baseFiles ? await loadWorkspace(memoryTree(baseFiles), config) : undefined;
  return lintWorkspace(ws, config, { base }).map(formatDiagnostic);
}

const summary = (over: { version?: string; id?: string; variables?: string[]; golden?: string; content?: string } = {}) =>
  [
    "name: Ticket summary", // 1
    "model: openai/gpt-4o-mini", // 2
    "promptops:", // 3
    `  id: ${over.id ?? "support/summary"}`, // 4
    `  version: ${over.version ?? "1.0.0"}`, // 5
    ...(over.golden ? [`  golden: ${over.golden}`] : []),
    "  variables:",
    ...(over.variables ?? ["ticket: { type: string, required: true }"]).map((v) => `    ${v}`),
    "messages:",
    "  - role: system",
    "    content: You summarize support tickets.",
    "  - role: user",
    `    content: '${over.content ?? "Summarize: {{ticket}}"}'`,
  ].join("\n");

const golden = '{"id": "refund", "ticket": "I want a refund"}\n';

describe("lintWorkspace", () => {
  it("is clean for a well-formed prompt with a golden set", async () => {
    expect(await lint({ "prompts/summary.prompt.yml": summary(), "prompts/summary.golden.jsonl": golden })).toEqual([]);
  });

  it("warns when a sampled prompt is judged on one sample per case with adaptive repeats off", async () => {
    const sampled = summary().replace("model: openai/gpt-4o-mini", "model: openai/gpt-4o-mini\nmodelParameters:\n  temperature: 0.7");
    const files = { "prompts/summary.prompt.yml": sampled, "prompts/summary.golden.jsonl": golden };
    const fixed = { ...DEFAULT_CONFIG, gates: { ...DEFAULT_CONFIG.gates, adaptive: false } };
    expect(await lint(files, fixed)).toEqual([
      "prompts/summary.prompt.yml:2:1: warning: temperature 0.7 with one sample per case and gates.adaptive off: score deltas are mostly sampling noise; turn on gates.adaptive, set providers.repeats (3 or more) or temperature 0 [single-sample]",
    ]);
    // Adaptive repeats (on by default) buy more samples where the first pass is ambiguous.
    expect(await lint(files)).toEqual([]);
    const capped = { ...DEFAULT_CONFIG, gates: { ...DEFAULT_CONFIG.gates, maxRepeats: 1 } };
    expect(await lint(files, capped)).toHaveLength(1);
    const repeated = { ...fixed, providers: { ...DEFAULT_CONFIG.providers, repeats: 3 } };
    expect(await lint(files, repeated)).toEqual([]);
    const greedy = sampled.replace("temperature: 0.7", "temperature: 0");
    expect(await lint({ "prompts/summary.prompt.yml": greedy, "prompts/summary.golden.jsonl": golden }, fixed)).toEqual([]);
  });

  it("reports undeclared variables as errors and unused ones as warnings, at their lines", async () => {
    const text = summary({ variables: ["ticket: { type: string }", "tone: { type: string }"], content: "{{ticket}} for {{customer}}" });
    const out = await lint({ "p.prompt.yml": text, "p.golden.jsonl": '{"ticket": "x", "tone": "y"}\n' });
    expect(out).toEqual([
      'p.prompt.yml:8:1: warning: variable "tone" is declared but never used in the template [unused-variable]',
      'p.prompt.yml:13:18: error: variable "customer" is used but not declared [undeclared-variable]',
    ]);
  });

  it("infers variables when none are declared, and still checks golden rows against them", async () => {
    const text = ["messages:", "  - role: user", "    content: 'Hello {{name}}, {{greeting}}'"].join("\n");
    const out = await lint({ "hi.prompt.yml": text, "hi.golden.jsonl": '{"name": "Ada", "greeting": "hi"}\n{"name": "Bob"}\n' });
    expect(out).toEqual([
      expect.stringMatching(/^hi\.golden\.jsonl:2:1: error: golden case "[0-9a-f]{10}" has no value for variable "greeting" of hi\.prompt\.yml \[golden-missing-variable\]$/),
    ]);
  });

  it("reports missing partials at the {{> name}} line, nested ones and cycles too", async () => {
    const text = summary({ content: "{{ticket}} {{> tone}} {{> nope}}" });
    const out = await lint({
      "prompts/s.prompt.yml": text,
      "prompts/s.golden.jsonl": golden,
      "prompts/partials/tone.md": "Be {{> style}} {{> loop}}",
      "prompts/partials/loop.md": "{{> again}}",
      "prompts/partials/again.md": "{{> loop}}",
    });
    expect(out).toEqual([
      'prompts/s.prompt.yml:12:12: error: partial "style" (used by partial "tone") not found (partials are read from prompts/partials) [missing-partial]',
      "prompts/s.prompt.yml:12:12: error: partials include each other in a cycle: loop -> again -> loop [partial-cycle]",
      'prompts/s.prompt.yml:12:23: error: partial "nope" not found (partials are read from prompts/partials) [missing-partial]',
    ]);
  });

  it("counts variables used by partials as used, and reports undeclared ones", async () => {
    const text = summary({ variables: ["ticket: { type: string }", "tone: { type: string }"], content: "{{ticket}} {{> voice}}" });
    const out = await lint({
      "s.prompt.yml": text,
      "s.golden.jsonl": '{"ticket": "a", "tone": "calm"}\n',
      "prompts/partials/voice.md": "Use a {{tone}} voice for {{audience}}.",
    });
    expect(out).toEqual([
      expect.stringMatching(/^s\.prompt\.yml:13:12: error: variable "audience" \(used by partial "voice"\) is not declared \[undeclared-variable\]$/),
    ]);
  });

  it("reports a named golden file that does not exist, and a missing golden set by config", async () => {
    const named = await lint({ "p.prompt.yml": summary({ golden: "evals/p.jsonl" }) });
    expect(named).toEqual([
      'p.prompt.yml:6:1: error: golden set "evals/p.jsonl" not found (looked for evals/p.jsonl) [missing-golden]',
    ]);
    const none = await lint({ "p.prompt.yml": summary() });
    expect(none).toEqual([expect.stringMatching(/^p\.prompt\.yml:1:1: warning: prompt "support\/summary" cannot be evaluated: it has no golden set .*p\.golden\.jsonl\) \[missing-golden\]$/)]);
    const strict = { ...DEFAULT_CONFIG, gates: { ...DEFAULT_CONFIG.gates, requireGolden: true } };
    expect(await lint({ "p.prompt.yml": summary() }, strict)).toEqual([expect.stringContaining(": error: prompt")]);
  });

  it("notes inline testData that a golden file takes precedence over", async () => {
    const text = `${summary()}\ntestData:\n  - ticket: inline\n`;
    expect(await lint({ "p.prompt.yml": text, "p.golden.jsonl": golden })).toEqual([
      "p.prompt.yml:13:1: notice: inline testData is not evaluated: the golden set p.golden.jsonl is used instead [golden-shadowed]",
    ]);
  });

  it("reports golden rows lacking a required variable at the row's line; optional and defaulted ones may be absent", async () => {
    const text = summary({ variables: ["ticket: { type: string, required: true }", "lang: { type: string, required: false }"], content: "{{ticket}} {{lang}}" });
    const out = await lint({ "p.prompt.yml": text, "p.golden.yml": "- ticket: a\n- lang: fr\n" });
    expect(out).toEqual([
      expect.stringMatching(/^p\.golden\.yml:2:1: error: golden case "\w+" has no value for variable "ticket" of p\.prompt\.yml \[golden-missing-variable\]$/),
    ]);
  });

  it("reports invalid semver, duplicate ids and ids that cannot be tagged", async () => {
    const out = await lint({
      "a.prompt.yml": summary({ version: "v1.2.0" }),
      "a.golden.jsonl": golden,
      "b.prompt.yml": summary(),
      "b.golden.jsonl": golden,
      "c.prompt.yml": summary({ id: "'bad..id'" }),
      "c.golden.jsonl": golden,
    });
    expect(out).toEqual([
      'a.prompt.yml:4:1: error: prompt id "support/summary" is also used by b.prompt.yml; ids must be unique (set promptops.id) [duplicate-id]',
      'a.prompt.yml:5:1: error: version "v1.2.0" is not valid semver; write 1.2.0, without the "v" [invalid-semver]',
      'b.prompt.yml:4:1: error: prompt id "support/summary" is also used by a.prompt.yml; ids must be unique (set promptops.id) [duplicate-id]',
      expect.stringMatching(/^c\.prompt\.yml:4:1: error: prompt id "bad\.\.id" cannot be part of a git tag name.* \[invalid-tag-id\]$/),
    ]);
  });

  it("requires a version bump when the content changed against the base", async () => {
    const base = { "p.prompt.yml": summary(), "p.golden.jsonl": golden };
    const changed = { "p.prompt.yml": summary({ content: "Summarize briefly: {{ticket}}" }), "p.golden.jsonl": golden };
    expect(await lint(changed, DEFAULT_CONFIG, base)).toEqual([
      expect.stringMatching(/^p\.prompt\.yml:5:1: error: the prompt's content changed but its version is still 1\.0\.0.* \[version-bump\]$/),
    ]);
    const bumped = { ...changed, "p.prompt.yml": summary({ version: "1.1.0", content: "Summarize briefly: {{ticket}}" }) };
    expect(await lint(bumped, DEFAULT_CONFIG, base)).toEqual([]);
    const relaxed = { ...DEFAULT_CONFIG, versioning: { ...DEFAULT_CONFIG.versioning, requireBump: false } };
    expect(await lint(changed, relaxed, base)).toEqual([]);
  });

  it("reports template syntax errors and parse errors, and keeps linting other prompts", async () => {
    const out = await lint({
      "a.prompt.yml": summary({ content: "{{#if ticket}}open" }),
      "a.golden.jsonl": golden,
      "b.prompt.yml": "messages: [\n",
      "c.prompt.yml": summary({ variables: ["ticket: { type: string }", "x: {}"] }),
      "c.golden.jsonl": golden,
    });
    expect(out.some((l) => /^a\.prompt\.yml:12:\d+: error: template syntax error.*\[template-syntax\]$/.test(l))).toBe(true);
    expect(out.some((l) => l.startsWith("b.prompt.yml:") && l.includes(": error: "))).toBe(true);
    expect(out.some((l) => l.startsWith("c.prompt.yml:8:1: warning: variable \"x\""))).toBe(true);
  });

  it("fails a template reading a prototype property ({{constructor.constructor ...}}), which would only fail at eval", async () => {
    const dotprompt = (body: string) => `---\nmodel: openai/gpt-4o-mini\ninput:\n  schema:\n    ticket: string\n---\n${body}\n`;
    const out = await lint({
      "a.prompt": dotprompt('Summarize {{ticket}} {{constructor.constructor "return process"}}'),
      "a.golden.jsonl": golden,
      "b.prompt": dotprompt("{{ticket.__proto__}} {{#with ticket}}{{constructor}}{{/with}}"),
      "b.golden.jsonl": golden,
    });
    expect(out).toContainEqual(
      expect.stringMatching(/^a\.prompt:7:\d+: error: `\{\{constructor\.constructor\}\}` reads `constructor`, a JavaScript prototype property Handlebars refuses to read/),
    );
    expect(out.filter((l) => l.startsWith("b.prompt:7:") && l.includes("prototype property"))).toHaveLength(2);
  });
});

describe("golden set files: size and encoding", () => {
  const prompt = summary({ golden: "p.golden.jsonl" });

  it("reads a golden set far larger than the prompt-file limit (10,000 cases)", async () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => JSON.stringify({ id: `case-${i}`, ticket: `ticket ${i}: the export job fails with code ${i % 97} `.repeat(3) }));
    const text = `${rows.join("\n")}\n`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(1024 * 1024);
    const ws = await loadWorkspace(memoryTree({ "p.prompt.yml": prompt, "p.golden.jsonl": text }), DEFAULT_CONFIG);
    const golden = ws.golden.get("p.prompt.yml")!;
    expect(golden.size).toBe(10_000);
    expect(golden.slice(9_998)).toEqual([
      { id: "case-9998", vars: { id: "case-9998", ticket: `ticket 9998: the export job fails with code ${9998 % 97} `.repeat(3) }, source: { file: "p.golden.jsonl", line: 9_999 } },
      { id: "case-9999", vars: { id: "case-9999", ticket: `ticket 9999: the export job fails with code ${9999 % 97} `.repeat(3) }, source: { file: "p.golden.jsonl", line: 10_000 } },
    ]);
    expect(ws.diagnostics).toEqual([]);
  });

  it("refuses a golden set over golden.maxBytes, stating the limit and the key", async () => {
    const config: PromptOpsConfig = { ...DEFAULT_CONFIG, golden: { ...DEFAULT_CONFIG.golden, maxBytes: 2048 } };
    const text = `${'{"ticket": "a refund please, the parcel arrived broken"}\n'.repeat(100)}`;
    expect(await lint({ "p.prompt.yml": prompt, "p.golden.jsonl": text }, config)).toEqual([
      "p.golden.jsonl:1:1: error: golden set is 5.6 KiB, over the 2 KiB limit; raise golden.maxBytes in .github/promptops.yml (in bytes) to read it [golden-too-large]",
    ]);
  });

  it("points at the line of bytes that are not UTF-8, without claiming the prompt has no golden set", async () => {
    const good = Buffer.from('{"ticket": "a"}\n{"ticket": "b"}\n{"ticket": "caf');
    const bytes = Buffer.concat([good, Buffer.from([0xe9]), Buffer.from('"}\n')]);
    const files = memoryTree({ "p.prompt.yml": prompt });
    const tree = {
      ...files,
      list: async () => ["p.golden.jsonl", "p.prompt.yml"],
      read: async (paths: readonly string[]) =>
        new Map(await Promise.all(paths.map(async (p) => [p, p === "p.golden.jsonl" ? blobFromBytes(bytes) : (await files.read([p])).get(p)!] as const))),
    };
    const ws = await loadWorkspace(tree, DEFAULT_CONFIG);
    expect(lintWorkspace(ws, DEFAULT_CONFIG).map(formatDiagnostic)).toEqual([
      "p.golden.jsonl:3:16: error: golden set is not valid UTF-8 here; save the file as UTF-8 [golden-encoding]",
    ]);
  });
});

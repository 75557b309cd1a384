import { loadConfig } from "../../../src/core/config/load.js";
import { DEFAULT_CONFIG } from "../../../src/core/config/model.js";

describe("loadConfig", () => {
  it("gives the defaults without errors when the file is missing or empty", () => {
    expect(loadConfig(undefined)).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
    expect(loadConfig("")).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
    expect(loadConfig("# only a comment\n")).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
  });

  it("deep-merges the file over the defaults; lists replace", () => {
    const { config, diagnostics } = loadConfig(
      [
        "prompts:",
        "  include: ['prompts/**/*.prompt.yml']",
        "gates:",
        "  minScore: 0.8",
        "  requireGolden: true",
        "providers:",
        "  openai: { baseUrl: http://localhost:11434/v1 }",
        "  prices:",
        "    openai/gpt-4o-mini: { input: 0.15, output: 0.6 }",
        "versioning:",
        "  mode: auto",
        "comment:",
      ].join("\n"),
    );
    expect(diagnostics).toEqual([]);
    expect(config.prompts.include).toEqual(["prompts/**/*.prompt.yml"]);
    expect(config.prompts.exclude).toEqual(DEFAULT_CONFIG.prompts.exclude);
    expect(config.gates).toEqual({ ...DEFAULT_CONFIG.gates, minScore: 0.8, requireGolden: true });
    expect(config.providers.openai.baseUrl).toBe("http://localhost:11434/v1");
    expect(config.providers.concurrency).toBe(8);
    expect(config.providers.prices["openai/gpt-4o-mini"]).toEqual({ input: 0.15, output: 0.6 });
    expect(config.versioning.mode).toBe("auto");
    expect(config.comment).toEqual(DEFAULT_CONFIG.comment);
  });

  it("accepts the Azure, Ollama and vLLM provider sections and their settings", () => {
    const { config, diagnostics } = loadConfig(
      [
        "providers:",
        "  azure: { baseUrl: https://acme.openai.azure.com, apiVersion: 2024-10-21, apiKeyEnv: ACME_AZURE_KEY }",
        "  github: { org: acme }",
        "  ollama: { baseUrl: http://127.0.0.1:11434/v1, concurrency: 2 }",
        "  vllm: { baseUrl: http://gpu-box:8000/v1 }",
      ].join("\n"),
    );
    expect(diagnostics).toEqual([]);
    expect(config.providers.azure).toEqual({ baseUrl: "https://acme.openai.azure.com", apiVersion: "2024-10-21", apiKeyEnv: "ACME_AZURE_KEY" });
    expect(config.providers.github.org).toBe("acme");
    expect(config.providers.ollama?.concurrency).toBe(2);
    const typo = loadConfig("providers:\n  azure: { apiVersoin: x }\n");
    expect(typo.diagnostics.map((d) => [d.line, d.rule])).toEqual([[2, expect.any(String)]]);
  });

  it("reads adaptive repeats (auto by default, up to 5 samples) and the pass-rate delta gate", () => {
    expect(DEFAULT_CONFIG.gates).toMatchObject({ adaptive: "auto", maxRepeats: 5 });
    expect(DEFAULT_CONFIG.gates.maxPassRateDrop).toBeUndefined();
    const { config, diagnostics } = loadConfig("gates:\n  adaptive: false\n  maxRepeats: 8\n  maxPassRateDrop: 0.1\n");
    expect(diagnostics).toEqual([]);
    expect(config.gates).toMatchObject({ adaptive: false, maxRepeats: 8, maxPassRateDrop: 0.1 });
    expect(loadConfig("gates:\n  adaptive: true\n").config.gates.adaptive).toBe(true);
    const bad = loadConfig("gates:\n  adaptive: sometimes\n  maxRepeats: 0\n");
    expect(bad.diagnostics.map((d) => `${d.line}: ${d.rule}`)).toEqual(["2: config-schema", "3: config-schema"]);
  });

  it("does not share objects with DEFAULT_CONFIG", () => {
    const { config } = loadConfig(undefined);
    config.prompts.include.push("x");
    expect(DEFAULT_CONFIG.prompts.include).not.toContain("x");
  });

  it("reports an unknown key at its line:col with a did-you-mean hint, and returns defaults", () => {
    const { config, diagnostics } = loadConfig("gates:\n  minScor: 0.8\n  requireGolden: true\n", "cfg.yml");
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(diagnostics).toEqual([
      {
        file: "cfg.yml",
        line: 2,
        column: 3,
        severity: "error",
        message: 'unknown key "minScor" in gates (did you mean minScore?)',
        rule: "config-unknown-key",
      },
    ]);
  });

  it("reports an unknown top-level section and lists the known ones when nothing is close", () => {
    const { diagnostics } = loadConfig("gate:\n  minScore: 0.8\nzzzzzzzzzz: 1\n");
    expect(diagnostics.map((d) => [d.line, d.column, d.message])).toEqual([
      [1, 1, 'unknown key "gate" (did you mean gates?)'],
      [3, 1, expect.stringMatching(/^unknown key "zzzzzzzzzz" \(expected one of: prompts, golden, providers/)],
    ]);
  });

  it("reports wrong types and ranges at the value's line:col", () => {
    const { diagnostics } = loadConfig(
      ["gates:", "  minScore: high", "  maxRegression: 2", "versioning:", "  mode: sometimes", "prompts:", "  include: [1]"].join("\n"),
    );
    expect(diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`)).toEqual([
      '2:13 gates.minScore must be a number, not string "high"',
      "3:18 gates.maxRegression must be <= 1",
      "5:9 versioning.mode must be one of: manual, auto",
      "7:13 prompts.include[0] must be a string, not number 1",
    ]);
    expect(diagnostics.every((d) => d.rule === "config-schema" && d.severity === "error")).toBe(true);
  });

  it("reports a price entry with a missing field", () => {
    const { diagnostics } = loadConfig("providers:\n  prices:\n    openai/gpt-x:\n      input: 1\n");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ line: 4, message: 'providers.prices["openai/gpt-x"] is missing "output"' });
  });

  it("reports malformed YAML at the parser's line:col", () => {
    const { config, diagnostics } = loadConfig("gates:\n  minScore: 0.8\n   bad: [\n");
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics[0]).toMatchObject({ file: ".github/promptops.yml", rule: "config-syntax", severity: "error" });
    expect(diagnostics[0]!.line).toBeGreaterThanOrEqual(2);
  });

  it("reports duplicate keys", () => {
    const { diagnostics } = loadConfig("gates:\n  minScore: 0.8\ngates:\n  minScore: 0.9\n");
    expect(diagnostics[0]).toMatchObject({ line: 3, column: 1, rule: "config-syntax" });
  });

  it("refuses alias bombs", () => {
    const bomb = [
      "a: &a [x, x, x, x, x, x, x, x, x]",
      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]",
      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]",
      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]",
      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]",
    ].join("\n");
    const { config, diagnostics } = loadConfig(bomb);
    expect(config).toEqual(DEFAULT_CONFIG);
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toMatch(/alias/i);
  });

  it("rejects a document that is not a mapping", () => {
    expect(loadConfig("- a\n- b\n").diagnostics[0]).toMatchObject({ line: 1, column: 1, rule: "config-schema" });
  });
});

describe("readConfig", () => {
  it("reads the config from a revision, and gives defaults when there is none", async () => {
    const { memoryTree } = await import("../../../src/core/files.js");
    const { readConfig } = await import("../../../src/core/config/load.js");
    expect((await readConfig(memoryTree({ ".github/promptops.yml": "gates: { minScore: 0.5 }" }))).config.gates.minScore).toBe(0.5);
    expect(await readConfig(memoryTree({}))).toEqual({ config: DEFAULT_CONFIG, diagnostics: [] });
    const bad = await readConfig(memoryTree({ ".github/promptops.yml": "gates: 3" }));
    expect(bad.diagnostics[0]).toMatchObject({ file: ".github/promptops.yml", line: 1, column: 8, rule: "config-schema" });
  });

  it("applies YAML merge keys and ignores a BOM", () => {
    const { config, diagnostics } = loadConfig("\uFEFFgates:\n  <<: { requireGolden: true, minPassRate: 0.8 }\n  minPassRate: 0.9\n");
    expect(diagnostics).toEqual([]);
    expect(config.gates).toMatchObject({ requireGolden: true, minPassRate: 0.9 });
  });
});

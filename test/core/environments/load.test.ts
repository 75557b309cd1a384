import { loadEnvironments } from "../../../src/core/environments/load.js";

const problems = (text: string) => loadEnvironments(text).diagnostics.map((d) => `${d.line}:${d.column} ${d.message} [${d.rule}]`);

describe("loadEnvironments", () => {
  it("reads environments in file order, with each pin's line", () => {
    const { environments, diagnostics, exists } = loadEnvironments(
      [
        "environments:",
        "  staging:    { pins: { support/summary: 1.4.0 } }",
        "  production:",
        "    pins: { support/summary: 1.3.0, classify/intent: 2.0.1 }",
        "    promoteFrom: staging",
        '    owners: ["@acme/ml-leads"]',
        "    gates: { minScore: 0.9 }",
        "    deployed: { url: https://svc.example.com/.well-known/promptops.json }",
        "",
      ].join("\n"),
    );
    expect(diagnostics).toEqual([]);
    expect(exists).toBe(true);
    expect(environments.environments).toEqual([
      { name: "staging", pins: [{ promptId: "support/summary", version: "1.4.0", line: 2 }], owners: [], gates: {}, line: 2 },
      {
        name: "production",
        pins: [
          { promptId: "support/summary", version: "1.3.0", line: 4 },
          { promptId: "classify/intent", version: "2.0.1", line: 4 },
        ],
        promoteFrom: "staging",
        owners: ["@acme/ml-leads"],
        gates: { minScore: 0.9 },
        deployed: { url: "https://svc.example.com/.well-known/promptops.json" },
        line: 4,
      },
    ]);
  });

  it("a missing file is no environment, not an error", () => {
    expect(loadEnvironments(undefined)).toMatchObject({ diagnostics: [], exists: false, environments: { environments: [] } });
  });

  it("says what is wrong at line:col", () => {
    expect(problems("environments:\n  prod:\n    deployed: { url: ftp://x }\n")).toEqual(['3:22 environments.prod.deployed.url must match pattern "^https?://" [environments-schema]']);
    expect(problems("environments:\n  prod:\n    deployed: { file: a, url: http://x }\n")).toEqual([
      "3:15 environments.prod.deployed needs exactly one of url (the service's report) or file (a report in the repository) [environments-schema]",
    ]);
    expect(problems("environments:\n  prod:\n    pins: { a: 1 }\n")).toEqual(['3:16 environments.prod.pins["a"]: write the version of a in full, e.g. "1.0.0" [environments-version]']);
    expect(problems("envs: {}\n")).toEqual(['1:1 the environments file is missing "environments" [environments-schema]', '1:1 unknown key "envs" (expected one of: environments) [environments-unknown-key]']);
    expect(problems("environments:\n  a: { promoteFrom: b }\n  b: { promoteFrom: a }\n")).toEqual([
      "2:21 environments.a.promoteFrom makes a cycle; a promotion must start somewhere [environments-promote-from]",
      "3:21 environments.b.promoteFrom makes a cycle; a promotion must start somewhere [environments-promote-from]",
    ]);
    expect(problems("environments:\n  prod: {\n")[0]).toMatch(/^\d+:\d+ .* \[environments-syntax\]$/);
  });
});

// The `version-bump` lint rule seen from real prompt files: which edits need a new version,
// and that the error lands on the version line of each format.

import { DEFAULT_CONFIG, type PromptOpsConfig } from "../../../src/core/config/model.js";
import { formatDiagnostic } from "../../../src/core/diagnostics.js";
import { memoryTree } from "../../../src/core/files.js";
import { lintWorkspace } from "../../../src/core/workspace/lint.js";
import { loadWorkspace } from "../../../src/core/workspace/workspace.js";

const FILE = "prompts/summary.prompt.yml";

interface Over {
  version?: string | null;
  system?: string;
  description?: string;
  owners?: string;
  temperature?: number;
  model?: string;
  testData?: boolean;
}

function summary(over: Over = {}): string {
  return [
    "name: Ticket summary", // 1
    `description: ${over.description ?? "Summarises a ticket"}`, // 2
    `model: ${over.model ?? "openai/gpt-4o-mini"}`, // 3
    `modelParameters: { temperature: ${over.temperature ?? 0.2} }`, // 4
    "promptops:", // 5
    "  id: support/summary", // 6
    ...(over.version === null ? [] : [`  version: ${over.version ?? "1.0.0"}`]), // 7
    `  owners: [${over.owners ?? '"@acme/support"'}]`,
    ...(over.testData ? ["testData:", "  - ticket: late parcel", "    expected: late"] : []),
    "messages:",
    "  - role: system",
    `    content: ${JSON.stringify(over.system ?? "You summarise tickets.\nBe brief.")}`,
    "  - role: user",
    "    content: 'Ticket: {{ticket}}'",
    "",
  ].join("\n");
}

async function bumpDiagnostics(base: Record<string, string>, head: Record<string, string>, config: PromptOpsConfig = DEFAULT_CONFIG): Promise<string[]> {
  const [b, h] = await Promise.all([loadWorkspace(memoryTree(base), config), loadWorkspace(memoryTree(head), config)]);
  return lintWorkspace(h, config, { base: b })
    .filter((d) => d.rule === "version-bump")
    .map(formatDiagnostic);
}

const bumpError = (line: number) => expect.stringMatching(new RegExp(`^${FILE.replace(/\./g, "\\.")}:${line}:1: error: .* \\[version-bump\\]$`));

describe("version-bump lint", () => {
  it.each<[string, Over]>([
    ["description", { description: "Summarises a support ticket in one line" }],
    ["owners", { owners: '"@acme/support", "@acme/ai"' }],
    ["inline test data", { testData: true }],
    ["trailing spaces and tabs at line ends", { system: "You summarise tickets.  \nBe brief.\t" }],
    ["CRLF line ends", { system: "You summarise tickets.\r\nBe brief." }],
    // Prompt parsers drop whitespace at the end of a message, so the model never sees it.
    ["newlines at the end of the message", { system: "You summarise tickets.\nBe brief.\n\n" }],
  ])("needs no bump when only the %s changed", async (_what, over) => {
    expect(await bumpDiagnostics({ [FILE]: summary() }, { [FILE]: summary(over) })).toEqual([]);
  });

  it.each<[string, Over]>([
    ["message text", { system: "You summarise tickets in one line." }],
    ["leading indentation", { system: "You summarise tickets.\n  Be brief." }],
    ["a blank line", { system: "You summarise tickets.\n\nBe brief." }],
    ["model", { model: "openai/gpt-4o" }],
    ["a model parameter", { temperature: 0.7 }],
  ])("fails on the version line when the %s changed without a bump", async (_what, over) => {
    expect(await bumpDiagnostics({ [FILE]: summary() }, { [FILE]: summary(over) })).toEqual([bumpError(7)]);
  });

  it("passes once the version goes up, and fails when it goes down even without a content change", async () => {
    const edited = "You summarise tickets in one line.";
    expect(await bumpDiagnostics({ [FILE]: summary() }, { [FILE]: summary({ system: edited, version: "1.0.1" }) })).toEqual([]);
    expect(await bumpDiagnostics({ [FILE]: summary({ version: "1.2.0" }) }, { [FILE]: summary({ version: "1.1.0" }) })).toEqual([bumpError(7)]);
  });

  it("a removed version on changed content is reported (at line 1, where there is no version line)", async () => {
    const out = await bumpDiagnostics({ [FILE]: summary() }, { [FILE]: summary({ version: null, system: "New words." }) });
    expect(out).toEqual([expect.stringMatching(/^prompts\/summary\.prompt\.yml:1:1: error: the prompt's content changed but its version was removed \(was 1\.0\.0\)/)]);
  });

  it("points at the version line in front matter formats too", async () => {
    const dotprompt = (version: string, body: string) => ["---", "model: openai/gpt-4o-mini", "promptops:", "  id: faq", `  version: ${version}`, "---", body, ""].join("\n");
    const out = await bumpDiagnostics({ "faq.prompt": dotprompt("2.0.0", "Answer {{q}}") }, { "faq.prompt": dotprompt("2.0.0", "Answer briefly: {{q}}") });
    expect(out).toEqual([expect.stringMatching(/^faq\.prompt:5:1: error: .*still 2\.0\.0.*\[version-bump\]$/)]);
  });

  it("follows a renamed prompt to its base by id", async () => {
    const out = await bumpDiagnostics({ "old/summary.prompt.yml": summary() }, { [FILE]: summary({ system: "Moved and edited." }) });
    expect(out).toEqual([bumpError(7)]);
  });

  it("is off with requireBump: false and in auto mode", async () => {
    const base = { [FILE]: summary() };
    const head = { [FILE]: summary({ system: "Edited." }) };
    const relaxed = { ...DEFAULT_CONFIG, versioning: { ...DEFAULT_CONFIG.versioning, requireBump: false } };
    const auto = { ...DEFAULT_CONFIG, versioning: { ...DEFAULT_CONFIG.versioning, mode: "auto" as const } };
    expect(await bumpDiagnostics(base, head, relaxed)).toEqual([]);
    expect(await bumpDiagnostics(base, head, auto)).toEqual([]);
  });

  it("a new prompt needs no bump", async () => {
    expect(await bumpDiagnostics({}, { [FILE]: summary() })).toEqual([]);
  });
});

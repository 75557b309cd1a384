import { messageDiffs, unifiedDiff } from "../../../src/core/report/diff.js";
import type { Prompt } from "../../../src/core/prompts/model.js";

function prompt(overrides: Partial<Prompt> = {}): Prompt {
  return {
    path: "prompts/summary.prompt.yml",
    format: "github",
    id: "support/summary",
    version: "1.0.0",
    model: "openai/gpt-4o-mini",
    parameters: { temperature: 0.2, max_tokens: 200 },
    messages: [
      { role: "system", content: "You summarise support tickets.\nBe brief.", line: 5 },
      { role: "user", content: "Ticket: {{ticket}}", line: 8 },
    ],
    variables: [],
    testData: [],
    evaluators: [],
    owners: [],
    positions: {},
    raw: {},
    ...overrides,
  };
}

describe("unifiedDiff", () => {
  it("gives a git-style unified diff with a/ and b/ paths", () => {
    const d = unifiedDiff("p.prompt.yml", "a\nb\nc\n", "a\nB\nc\n");
    expect(d).toBe("--- a/p.prompt.yml\n+++ b/p.prompt.yml\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n");
  });

  it("uses /dev/null for an added or removed file", () => {
    expect(unifiedDiff("new.prompt", undefined, "x\n")).toMatch(/^--- \/dev\/null\n\+\+\+ b\/new\.prompt\n@@ -0,0 \+1(,1)? @@\n\+x\n/);
    expect(unifiedDiff("old.prompt", "x\n", undefined)).toMatch(/^--- a\/old\.prompt\n\+\+\+ \/dev\/null\n@@ -1(,1)? \+0,0 @@\n-x\n/);
  });

  it("is empty when nothing changed", () => {
    expect(unifiedDiff("p", "same\n", "same\n")).toBe("");
  });
});

describe("messageDiffs", () => {
  it("diffs only the message whose text changed", () => {
    const head = prompt({
      messages: [
        { role: "system", content: "You summarise support tickets.\nBe brief and polite.", line: 5 },
        { role: "user", content: "Ticket: {{ticket}}", line: 8 },
      ],
    });
    const { messages, fields } = messageDiffs(prompt(), head);
    expect(messages.map((m) => [m.index, m.role, m.change])).toEqual([
      [0, "system", "modified"],
      [1, "user", "unchanged"],
    ]);
    expect(messages[0].diff).toContain("-Be brief.\n+Be brief and polite.");
    expect(messages[0].diff).toContain("--- a/messages[0] (system)");
    expect(messages[1].diff).toBe("");
    expect(fields).toEqual([]);
  });

  it("shows an inserted few-shot pair as two added messages, not every later one as modified", () => {
    const base = prompt();
    const head = prompt({
      messages: [
        base.messages[0],
        { role: "user", content: "Ticket: printer on fire", line: 7 },
        { role: "assistant", content: "Printer fire; urgent.", line: 8 },
        { role: "user", content: "Ticket: {{ticket}}", line: 9 },
      ],
    });
    const changes = messageDiffs(base, head).messages.map((m) => `${m.index}:${m.role}:${m.change}`);
    expect(changes.filter((c) => c.endsWith(":added"))).toHaveLength(2);
    expect(changes.filter((c) => c.endsWith(":modified"))).toHaveLength(0);
    expect(changes).toContain("0:system:unchanged");
  });

  it("lists model, version and parameter changes as text", () => {
    const head = prompt({ model: "anthropic/claude-sonnet-4-5", version: "1.1.0", parameters: { temperature: 0.7, top_p: 0.9 }, jsonSchema: { type: "object" } });
    expect(messageDiffs(prompt(), head).fields).toEqual([
      { field: "version", before: "1.0.0", after: "1.1.0" },
      { field: "model", before: "openai/gpt-4o-mini", after: "anthropic/claude-sonnet-4-5" },
      { field: "parameters.max_tokens", before: "200" },
      { field: "parameters.temperature", before: "0.2", after: "0.7" },
      { field: "parameters.top_p", after: "0.9" },
      { field: "jsonSchema", after: '{"type":"object"}' },
    ]);
  });

  it("treats objects with the same keys in another order as equal", () => {
    const a = prompt({ parameters: { stop: { a: 1, b: 2 } } });
    const b = prompt({ parameters: { stop: { b: 2, a: 1 } } });
    expect(messageDiffs(a, b).fields).toEqual([]);
  });

  it("handles an added prompt (no base)", () => {
    const { messages, fields } = messageDiffs(undefined, prompt());
    expect(messages.every((m) => m.change === "added")).toBe(true);
    expect(messages[1].diff).toContain("+Ticket: {{ticket}}");
    expect(fields.find((f) => f.field === "model")).toEqual({ field: "model", after: "openai/gpt-4o-mini" });
  });
});

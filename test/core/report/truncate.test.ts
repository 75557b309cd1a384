import { codeBlock } from "../../../src/core/report/escape.js";
import { clipUtf8, fitMarkdown, markdownBalance, truncateBalanced, utf8Length } from "../../../src/core/report/truncate.js";
import { expectBalanced } from "./fixtures.js";

const note = (o: { total: number; byKind: Record<string, number> }) => `… ${o.byKind.case ?? 0} more cases not shown`;

function caseSection(i: number, size: number) {
  return { markdown: `<details><summary>case ${i}</summary>\n\n${codeBlock("x".repeat(size))}\n</details>`, kind: "case" };
}

describe("fitMarkdown", () => {
  it("returns everything joined by blank lines when it fits", () => {
    expect(fitMarkdown(["# a", "b", { markdown: "c", pinned: true }], 100, note)).toBe("# a\n\nb\n\nc");
  });

  it("keeps pinned header and footer, drops whole cases from the end and notes how many", () => {
    const sections = [
      { markdown: "HEADER", pinned: true },
      ...Array.from({ length: 10 }, (_, i) => caseSection(i, 100)),
      { markdown: "FOOTER", pinned: true },
    ];
    const out = fitMarkdown(sections, 600, note);
    expect(out.length).toBeLessThanOrEqual(600);
    expect(out.startsWith("HEADER\n\n")).toBe(true);
    expect(out.endsWith("… 7 more cases not shown\n\nFOOTER")).toBe(true);
    expect(out).toContain("case 2</summary>");
    expect(out).not.toContain("case 3</summary>");
    expectBalanced(out);
  });

  it("falls back to a line cut that closes the open fence and details when pinned text alone is too long", () => {
    const huge = `<details><summary>x</summary>\n\n${codeBlock("line\n".repeat(1000))}\n</details>`;
    const out = fitMarkdown([{ markdown: huge, pinned: true }], 500, note);
    expect(out.length).toBeLessThanOrEqual(500);
    expectBalanced(out);
    expect(out).toContain("more cases not shown");
  });
});

describe("markdownBalance", () => {
  it("tracks fences by length and ignores details inside code", () => {
    expect(markdownBalance("````\n```\n</details>\n")).toEqual({ openFence: "````", openDetails: 0 });
    expect(markdownBalance("<details><summary>s</summary>\n\n```\n</details>\n```\n")).toEqual({ openDetails: 1 });
    expect(markdownBalance("<details>\n</details>")).toEqual({ openDetails: 0 });
  });
});

describe("truncateBalanced", () => {
  it("never exceeds the limit", () => {
    const text = Array.from({ length: 200 }, (_, i) => `<details><summary>${i}</summary>\n\n\`\`\`\n${"y".repeat(i)}\n\`\`\`\n\n</details>`).join("\n\n");
    for (const limit of [50, 333, 1000, 4097]) {
      const out = truncateBalanced(text, limit, "[cut]");
      expect(out.length).toBeLessThanOrEqual(limit);
      expectBalanced(out);
    }
  });
});

describe("limits in UTF-8 bytes", () => {
  const japaneseCase = (i: number) => ({ markdown: `<details><summary>case ${i}</summary>\n\n${codeBlock("返金の依頼です。".repeat(105))}\n</details>`, kind: "case" });

  it("fitMarkdown counts bytes: 30 sections of 840 Japanese characters do not fit in 65,535 bytes", () => {
    const sections = [{ markdown: "HEADER", pinned: true }, ...Array.from({ length: 30 }, (_, i) => japaneseCase(i))];
    const out = fitMarkdown(sections, 65_535, note);
    // Fewer than 65,535 characters, but only fit once whole cases are dropped.
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(65_535);
    expect(out).toMatch(/… \d+ more cases not shown$/);
    expectBalanced(out);
  });

  it("truncateBalanced cuts on a character boundary within the byte limit", () => {
    const out = truncateBalanced(`\`\`\`\n${"😀".repeat(1_000)}\n${"日本".repeat(1_000)}\n\`\`\``, 1_000, "cut");
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(1_000);
    expect(out).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
  });

  it("clipUtf8 never splits a character and utf8Length counts bytes", () => {
    expect(utf8Length("aé日😀")).toBe(1 + 2 + 3 + 4);
    expect(clipUtf8("aé日😀", 9)).toBe("aé日");
    expect(clipUtf8("aé日😀", 10)).toBe("aé日😀");
    expect(clipUtf8("😀😀", 5)).toBe("😀");
  });
});

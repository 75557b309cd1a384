import { codeBlock, escapeHtmlInline, escapeInline, inlineCode, plainText } from "../../../src/core/report/escape.js";

const NASTY =
  "@octocat and @acme/support-ai see #123, GH-45 and https://github.com/o/r/issues/9 | " +
  "<img src=x onerror=alert(1)> </details> <!-- hidden --> `tick` **bold** _em_ ~~del~~ $x^2$ " +
  "[link](http://evil.example) ![img](http://evil.example/a.png) &amp; \\ \nsecond line";

/** A mention or issue reference GitHub would autolink: `@` or `#` directly followed by a word character. */
const PING = /@[A-Za-z0-9]|#\d|GH-\d/i;

describe("escapeInline", () => {
  const out = escapeInline(NASTY);

  it("cannot ping people or teams, or link issues and URLs", () => {
    expect(out).not.toMatch(PING);
    expect(out).not.toContain("://");
    // the words are still there for the reader
    expect(out.replace(/\u200D/g, "")).toContain("octocat");
    expect(out.replace(/\u200D/g, "")).toContain("123");
  });

  it("leaves no HTML: no tag, comment or `</details>` survives", () => {
    const withoutBr = out.replace(/<br>/g, "");
    expect(withoutBr).not.toContain("<");
    expect(withoutBr).not.toContain(">");
    expect(out).toContain("&lt;/details&gt;");
    expect(out).toContain("&lt;\\!-- hidden --&gt;");
    expect(out).toContain("&amp;amp;");
  });

  it("keeps one line with <br> for newlines, and every pipe escaped for tables", () => {
    expect(out).not.toContain("\n");
    expect(out).toContain("<br>second line");
    expect(out.match(/(?<!\\)\|/g)).toBeNull();
  });

  it("escapes link, image, code, emphasis and math markers", () => {
    for (const c of ["[", "]", "`", "*", "_", "~", "$", "!"]) {
      const unescaped = new RegExp(`(?<!\\\\)\\${c}`);
      expect(out).not.toMatch(unescaped);
    }
    expect(out).toContain("\\[link\\]");
    expect(out).toContain("\\\\ "); // a literal backslash stays a backslash
  });

  it("neutralises block markers at the start", () => {
    expect(escapeInline("- not a list")).toBe("\\- not a list");
    expect(escapeInline("# not a heading")).toBe("\\# not a heading");
    expect(escapeInline("1. not a list")).toBe("1\\. not a list");
    expect(escapeInline("> quote")).toBe("&gt; quote");
  });

  it("drops control and bidi override characters and truncates with an ellipsis", () => {
    expect(escapeInline("a\u0000b\u0007c\u202Ed\te")).toBe("abcd e");
    expect(escapeInline("abcdefghij", { maxLength: 5 })).toBe("abcd…");
    // never splits a surrogate pair
    expect(escapeInline("ab😀cd", { maxLength: 4 })).toBe("ab…");
  });
});

describe("escapeHtmlInline (inside <summary>)", () => {
  it("escapes HTML and defuses mentions without adding visible backslashes", () => {
    const out = escapeHtmlInline("<b>@team</b> **x** #1\nnext");
    expect(out).not.toMatch(PING);
    expect(out).not.toContain("<");
    expect(out).not.toContain("\\");
    expect(out).not.toContain("\n");
    expect(out.replace(/\u200D/g, "")).toBe("&lt;b&gt;@team&lt;/b&gt; **x** #1 next");
  });
});

describe("codeBlock", () => {
  it("uses a fence longer than any backtick run, so the content cannot close it", () => {
    const text = "before\n```\n````js\nescaped?\n`````\n</details>\n";
    const block = codeBlock(text, "diff");
    const lines = block.split("\n");
    expect(lines[0]).toBe("``````diff");
    expect(lines[lines.length - 2]).toBe("``````");
    const inner = lines.slice(1, -2);
    expect(inner.join("\n")).toBe(text.trimEnd());
    for (const line of inner) expect(line).not.toMatch(/^`{6,}\s*$/);
  });

  it("uses three backticks for plain text, adds the final newline, normalises CR", () => {
    expect(codeBlock("a\r\nb\rc")).toBe("```\na\nb\nc\n```\n");
    expect(codeBlock("")).toBe("```\n\n```\n");
  });

  it("cleans the info string", () => {
    expect(codeBlock("x", "js\n```evil").split("\n")[0]).toBe("```jsevil");
  });
});

describe("inlineCode", () => {
  it("wraps in a longer backtick run and pads edge backticks", () => {
    expect(inlineCode("a`b")).toBe("``a`b``");
    expect(inlineCode("`x`")).toBe("`` `x` ``");
    expect(inlineCode("")).toBe("` `");
  });
  it("escapes pipes in tables and flattens newlines", () => {
    expect(inlineCode("a|b\nc", { table: true })).toBe("`a\\|b c`");
  });
});

describe("plainText", () => {
  it("drops control characters and limits length", () => {
    expect(plainText("a\u0001b\r\nc", 100)).toBe("ab\nc");
    expect(plainText("x".repeat(50), 10)).toHaveLength(10);
  });
});

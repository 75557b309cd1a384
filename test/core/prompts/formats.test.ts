import { defaultPromptId, isPartialPath, partialNameOf, promptFormatOf } from "../../../src/core/prompts/formats.js";

describe("promptFormatOf", () => {
  it.each([
    ["prompts/a.prompt.yml", "github"],
    ["prompts/a.prompt.yaml", "github"],
    ["prompts/A.PROMPT.YML", "github"],
    ["prompts/a.prompt.md", "markdown"],
    ["prompts/a.prompt", "dotprompt"],
    ["prompts/a.prompty", "prompty"],
  ])("%s is %s", (path, format) => {
    expect(promptFormatOf(path)).toBe(format);
  });

  it.each(["README.md", "a.yml", "prompts/a.prompt.json", "a.prompts", ".prompt"])("%s is not a prompt", (path) => {
    expect(promptFormatOf(path)).toBeUndefined();
  });
});

describe("defaultPromptId", () => {
  it("drops the prompt extension and keeps the folders", () => {
    expect(defaultPromptId("prompts/support/summary.prompt.yml")).toBe("prompts/support/summary");
    expect(defaultPromptId("prompts/support/summary.prompt.yaml")).toBe("prompts/support/summary");
    expect(defaultPromptId("a/b.prompt.md")).toBe("a/b");
    expect(defaultPromptId("a/b.prompt")).toBe("a/b");
    expect(defaultPromptId("a/b.prompty")).toBe("a/b");
    expect(defaultPromptId("./a/v1.2.prompt")).toBe("a/v1.2");
  });
});

describe("partialNameOf", () => {
  const dirs = ["prompts/partials", "shared/snippets/"];

  it("names a file in a partial folder by its relative path without extensions or a leading _", () => {
    expect(partialNameOf("prompts/partials/tone.md", dirs)).toBe("tone");
    expect(partialNameOf("prompts/partials/_tone.md", dirs)).toBe("tone");
    expect(partialNameOf("prompts/partials/support/_sig.prompt.md", dirs)).toBe("support/sig");
    expect(partialNameOf("prompts/partials/footer.prompt", dirs)).toBe("footer");
    expect(partialNameOf("shared/snippets/legal.txt", dirs)).toBe("legal");
  });

  it("treats a Dotprompt _name.prompt anywhere as partial name", () => {
    expect(partialNameOf("prompts/support/_header.prompt", dirs)).toBe("header");
    expect(isPartialPath("prompts/support/_header.prompt", dirs)).toBe(true);
  });

  it("leaves prompts and look-alike folders alone", () => {
    expect(partialNameOf("prompts/support/reply.prompt", dirs)).toBeUndefined();
    expect(partialNameOf("prompts/partials-old/tone.md", dirs)).toBeUndefined();
    expect(partialNameOf("prompts/_notes.md", dirs)).toBeUndefined();
    expect(isPartialPath("prompts/support/ticket.prompt.yml", dirs)).toBe(false);
  });
});

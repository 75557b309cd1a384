// Workflow commands as the runner parses them: one line each, data and properties escaped.

import { command, workflowCommands } from "../../src/action/workflow-commands.js";

describe("workflow commands", () => {
  it("escapes what would end a message or a property early", () => {
    expect(command("error", "50% done\nnext line", { title: "promptops: lint, schema", file: "a,b.yml", line: 3, col: 1 })).toBe(
      "::error title=promptops%3A lint%2C schema,file=a%2Cb.yml,line=3,col=1::50%25 done%0Anext line\n",
    );
    expect(command("warning", "plain")).toBe("::warning::plain\n");
  });

  it("masks every line of a secret on its own", () => {
    const lines: string[] = [];
    workflowCommands((l) => void lines.push(l)).setSecret("-----BEGIN KEY-----\nabc\n\n-----END KEY-----");
    expect(lines).toEqual(["::add-mask::-----BEGIN KEY-----\n", "::add-mask::abc\n", "::add-mask::-----END KEY-----\n"]);
  });
});

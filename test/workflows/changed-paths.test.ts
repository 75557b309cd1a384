import { toChangedPaths } from "../../src/workflows/changed-paths.js";

describe("toChangedPaths", () => {
  it("maps GitHub's file statuses onto the core's four", () => {
    expect(
      toChangedPaths([
        { path: "a.prompt.yml", status: "added" },
        { path: "b.prompt.yml", status: "removed" },
        { path: "c.prompt.yml", status: "modified" },
        { path: "new/d.prompt.yml", status: "renamed", previousPath: "old/d.prompt.yml" },
        { path: "e.prompt.yml", status: "copied", previousPath: "a.prompt.yml" },
        { path: "f.prompt.yml", status: "changed" },
        { path: "g.prompt.yml", status: "unchanged" },
      ]),
    ).toEqual([
      { path: "a.prompt.yml", status: "added" },
      { path: "b.prompt.yml", status: "removed" },
      { path: "c.prompt.yml", status: "modified" },
      { path: "new/d.prompt.yml", status: "renamed", previousPath: "old/d.prompt.yml" },
      { path: "e.prompt.yml", status: "added" },
      { path: "f.prompt.yml", status: "modified" },
    ]);
  });

  it("reads a status GitHub has not documented yet as modified, never drops it", () => {
    const future = { path: "h.prompt.yml", status: "type-changed" } as unknown as Parameters<typeof toChangedPaths>[0][number];
    expect(toChangedPaths([future])).toEqual([{ path: "h.prompt.yml", status: "modified" }]);
  });
});

// The Node versions package.json promises must be ones every installed dependency supports:
// otherwise `npm ci` warns (EBADENGINE) on a version we claim to support, and a dependency may
// start using what that version lacks. Read from package-lock.json, which pins what installs.

import { readFileSync } from "node:fs";
import semver from "semver";

const root = new URL("../../", import.meta.url);
const pkg = JSON.parse(readFileSync(new URL("package.json", root), "utf8")) as { engines: { node: string } };
const lock = JSON.parse(readFileSync(new URL("package-lock.json", root), "utf8")) as {
  packages: Record<string, { version?: string; engines?: { node?: string } | string[] }>;
};

describe("engines.node", () => {
  it("is a valid range, the same in package.json and the lock's root entry", () => {
    expect(semver.validRange(pkg.engines.node)).not.toBeNull();
    expect((lock.packages[""]!.engines as { node?: string }).node).toBe(pkg.engines.node);
  });

  it("every Node version it allows is one each locked package supports", () => {
    const unsupported: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      // Old packages may write `engines` as a list; only the `node` range matters here.
      const wanted = path !== "" && entry.engines && !Array.isArray(entry.engines) ? entry.engines.node : undefined;
      if (wanted === undefined || semver.validRange(wanted) === null) continue;
      if (!semver.subset(pkg.engines.node, wanted)) unsupported.push(`${path.replace(/^.*node_modules\//, "")}@${entry.version} wants node ${wanted}`);
    }
    expect(unsupported).toEqual([]);
  });
});

// app.yml is the manifest Probot's setup flow sends to GitHub ("Registering a GitHub App from a
// manifest"): it must parse as Probot parses it, subscribe to exactly the events the app
// handles, and ask for GitHub permission names only.

import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Probot } from "probot";
import { parse } from "yaml";
import promptopsApp from "../../src/app/index.js";

const manifestPath = fileURLToPath(new URL("../../app.yml", import.meta.url));

/** The events the app registers handlers for, without their actions (`check_run`, ...). */
function handledEvents(): Set<string> {
  const events = new Set<string>();
  const quiet = { info() {}, warn() {}, error() {}, debug() {} };
  const app = {
    log: quiet,
    on(names: string | string[]) {
      for (const name of [names].flat()) events.add(name.split(".")[0]!);
    },
  };
  promptopsApp(app as unknown as Probot, { env: {} });
  return events;
}

// Repository and organization permission names GitHub Apps can request (the REST API's
// app-permissions object); the manifest uses the same keys with underscores.
const PERMISSIONS = new Set([
  "actions", "administration", "checks", "contents", "deployments", "environments", "issues", "metadata",
  "packages", "pages", "pull_requests", "repository_hooks", "repository_projects", "secret_scanning_alerts",
  "secrets", "security_events", "single_file", "statuses", "vulnerability_alerts", "workflows",
  "members", "organization_administration", "organization_hooks", "organization_plan", "organization_projects",
  "organization_secrets", "organization_self_hosted_runners", "team_discussions",
]);

describe("app.yml", () => {
  const manifest = parse(readFileSync(manifestPath, "utf8")) as {
    name: string;
    url: string;
    description: string;
    default_events: string[];
    default_permissions: Record<string, string>;
  };

  it("parses with the YAML library Probot reads it with", () => {
    expect(manifest.name).toBe("PromptOps");
    expect(manifest.url).toMatch(/^https:\/\//);
    expect(manifest.description).toContain("base-vs-head");
  });

  it("subscribes to every event the app handles, and to no other", () => {
    expect([...manifest.default_events].sort()).toEqual([...handledEvents()].sort());
  });

  it("asks for known permissions, read or write, with metadata read", () => {
    for (const [name, level] of Object.entries(manifest.default_permissions)) {
      expect([name, PERMISSIONS.has(name)]).toEqual([name, true]);
      expect(["read", "write"]).toContain(level);
    }
    expect(manifest.default_permissions).toMatchObject({ checks: "write", pull_requests: "write", contents: "write", issues: "write", members: "read", metadata: "read" });
  });
});

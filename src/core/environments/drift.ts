// Drift: what each environment pins, what the tags hold, and what the service reports it runs,
// compared prompt by prompt. Pure: the caller resolves the pins and reads the report.

import semver from "semver";
import type { DeployedPrompt, DeployedRead } from "./deployed.js";
import type { ResolvedPin } from "./resolve.js";

export type DriftState =
  | "in-sync"
  | "pending-rollout"
  | "unpinned-deploy"
  | "hash-mismatch"
  | "tag-missing"
  | "tag-moved"
  | "unreachable"
  | "behind";

/** States that are not drift: `behind` only says a newer approved version exists. */
const INFORMATIONAL: ReadonlySet<DriftState> = new Set(["in-sync", "behind"]);

export interface DriftRow {
  promptId: string;
  state: DriftState;
  /** The pinned version (absent for a prompt deployed without a pin). */
  pinned?: string;
  tag?: string;
  /** The hash the pinned tag holds. */
  expectedSha256?: string;
  deployed?: DeployedPrompt;
  /** A newer tagged version than the pin. */
  newer?: string;
  detail: string;
}

export type EnvironmentStatus = "in-sync" | "drift" | "unreachable";

export interface EnvironmentDrift {
  environment: string;
  /** Where the deployed report came from; absent when the environment has no `deployed` source. */
  source?: string;
  status: EnvironmentStatus;
  /** Pins in file order, then prompts deployed without a pin (by id). */
  rows: DriftRow[];
}

export function isDrift(state: DriftState): boolean {
  return !INFORMATIONAL.has(state);
}

/**
 * One environment's drift. Without a deployed source only the pins and tags are checked. An
 * unreadable report makes every pin `unreachable`: not knowing is never "in sync".
 */
export function environmentDrift(environment: string, pins: readonly ResolvedPin[], deployed: DeployedRead | undefined): EnvironmentDrift {
  const rows: DriftRow[] = [];
  for (const pin of pins) {
    const row: DriftRow = {
      promptId: pin.promptId,
      pinned: pin.version,
      tag: pin.tag,
      ...(pin.sha256 !== undefined && { expectedSha256: pin.sha256 }),
      ...(pin.newer !== undefined && { newer: pin.newer }),
      state: "in-sync",
      detail: "",
    };
    const reported = deployed?.ok ? deployed.report.prompts[pin.promptId] : undefined;
    if (reported) row.deployed = reported;
    Object.assign(row, pinState(pin, deployed, reported));
    rows.push(row);
  }
  if (deployed?.ok) {
    const pinned = new Set(pins.map((p) => p.promptId));
    for (const id of Object.keys(deployed.report.prompts).sort()) {
      if (pinned.has(id)) continue;
      const reported = deployed.report.prompts[id]!;
      rows.push({ promptId: id, state: "unpinned-deploy", deployed: reported, detail: `runs ${reported.version}, which ${environment} does not pin` });
    }
  }
  const status: EnvironmentStatus =
    deployed && !deployed.ok ? "unreachable" : rows.some((r) => isDrift(r.state)) ? "drift" : "in-sync";
  return { environment, ...(deployed && { source: deployed.source }), status, rows };
}

function pinState(pin: ResolvedPin, deployed: DeployedRead | undefined, reported: DeployedPrompt | undefined): { state: DriftState; detail: string } {
  if (pin.status === "tag-missing") return { state: "tag-missing", detail: pin.detail ?? `tag ${pin.tag} does not exist` };
  if (pin.status === "tag-moved") return { state: "tag-moved", detail: pin.detail ?? `tag ${pin.tag} moved` };
  if (deployed && !deployed.ok) return { state: "unreachable", detail: `${deployed.source}: ${deployed.error}` };
  if (deployed?.ok) {
    if (!reported) return { state: "pending-rollout", detail: `pinned ${pin.version}, not reported by the service yet` };
    if (reported.version !== pin.version) {
      const older = semver.valid(reported.version) !== null && semver.lt(reported.version, pin.version);
      return older
        ? { state: "pending-rollout", detail: `pinned ${pin.version}, the service still runs ${reported.version}` }
        : { state: "unpinned-deploy", detail: `the service runs ${reported.version}, the pin is ${pin.version}` };
    }
    if (pin.sha256 !== undefined && reported.sha256 !== pin.sha256) {
      return { state: "hash-mismatch", detail: `the service runs ${pin.version} with content ${reported.sha256.slice(0, 12)}, the tag holds ${pin.sha256.slice(0, 12)}` };
    }
  }
  if (pin.newer !== undefined) return { state: "behind", detail: `${pin.newer} is tagged; the pin is ${pin.version}` };
  return { state: "in-sync", detail: deployed ? "runs the pinned content" : "the pin's tag holds its recorded content (no deployed source)" };
}

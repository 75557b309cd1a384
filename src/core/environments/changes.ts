// Which pins a change to the pins file moves: the unit of a promotion, for the promotion
// check on a pull request and for the audit log's `env.promoted` events.

import type { Environments } from "./model.js";

export interface PinChange {
  environment: string;
  promptId: string;
  /** The version pinned before; absent for a new pin. */
  from?: string;
  /** The version pinned after; absent for a removed pin. */
  to?: string;
  /** 1-based line of the pin in the new file (of the environment for a removed pin). */
  line: number;
}

/** Pins added, moved or removed between two versions of the pins file, by environment then prompt id. */
export function pinChanges(before: Environments, after: Environments): PinChange[] {
  const changes: PinChange[] = [];
  const names = new Set([...before.environments.map((e) => e.name), ...after.environments.map((e) => e.name)]);
  for (const name of [...names].sort()) {
    const old = before.environments.find((e) => e.name === name);
    const now = after.environments.find((e) => e.name === name);
    const ids = new Set([...(old?.pins ?? []).map((p) => p.promptId), ...(now?.pins ?? []).map((p) => p.promptId)]);
    for (const id of [...ids].sort()) {
      const from = old?.pins.find((p) => p.promptId === id);
      const to = now?.pins.find((p) => p.promptId === id);
      if (from?.version === to?.version) continue;
      changes.push({
        environment: name,
        promptId: id,
        ...(from && { from: from.version }),
        ...(to && { to: to.version }),
        line: to?.line ?? now?.line ?? 1,
      });
    }
  }
  return changes;
}

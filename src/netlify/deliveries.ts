// The deliveries the serverless App has accepted, in Netlify Blobs: each one's envelope (the
// exact body bytes GitHub signed, with the event name and the signature) and its state, under
// its delivery id. `<id>/envelope` is written once; `<id>/state` says where the work stands.

import type { Store } from "@netlify/blobs";

export const DELIVERIES_STORE = "promptops-deliveries";

export interface DeliveryEnvelope {
  /** `X-GitHub-Delivery`. */
  id: string;
  /** `X-GitHub-Event`. */
  event: string;
  /** `X-Hub-Signature-256`, verified again by the worker. */
  signature: string;
  /** The body exactly as received. */
  body: Uint8Array;
  receivedAt: string;
}

export type DeliveryStatus = "queued" | "running" | "done" | "failed";

export interface DeliveryState {
  status: DeliveryStatus;
  event: string;
  /** `owner/repo#number`, when the payload names a pull request or an issue. */
  target?: string;
  updatedAt: string;
  /** Runs started so far (Netlify retries a failed background invocation twice). */
  attempts: number;
  /** Why the delivery failed or was refused. */
  reason?: string;
  /** Each route's outcome, once the worker has run them. */
  routes?: { route: string; status: "done" | "failed"; outcome?: string; error?: string }[];
}

export interface DeliveryStore {
  /** Stores the envelope unless one with this id exists: false for a redelivery. */
  enqueue(envelope: DeliveryEnvelope): Promise<boolean>;
  envelope(id: string): Promise<DeliveryEnvelope | undefined>;
  /** The recorded state; a stored envelope without one is `queued` (not started yet). */
  state(id: string): Promise<DeliveryState | undefined>;
  record(id: string, state: Omit<DeliveryState, "updatedAt">): Promise<void>;
}

/**
 * GitHub's delivery ids are GUIDs; anything else is refused before it becomes a key (a key may
 * not start with `/`, and `..` or another `/` would reach another delivery's entries).
 */
export function isDeliveryId(id: string | null | undefined): id is string {
  return typeof id === "string" && /^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/.test(id);
}

export function deliveryStore(store: Store, now: () => Date = () => new Date()): DeliveryStore {
  const envelopeKey = (id: string) => `${id}/envelope`;
  const stateKey = (id: string) => `${id}/state`;
  return {
    async enqueue(envelope) {
      const { body } = envelope;
      // The body's own buffer when the view spans it (the webhook's case): no copy on the ack path.
      const whole = body.byteOffset === 0 && body.byteLength === body.buffer.byteLength;
      const bytes = (whole ? body.buffer : body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength)) as ArrayBuffer;
      const result = await store.set(envelopeKey(envelope.id), bytes, {
        metadata: { event: envelope.event, signature: envelope.signature, receivedAt: envelope.receivedAt },
        // Atomic on Netlify's side: of two concurrent deliveries with one id, one is stored.
        onlyIfNew: true,
      });
      return result.modified;
    },
    async envelope(id) {
      const found = await store.getWithMetadata(envelopeKey(id), { type: "arrayBuffer", consistency: "strong" });
      if (!found) return undefined;
      const { event, signature, receivedAt } = found.metadata as Record<string, unknown>;
      if (typeof event !== "string" || typeof signature !== "string") return undefined;
      return { id, event, signature, body: new Uint8Array(found.data), receivedAt: typeof receivedAt === "string" ? receivedAt : "" };
    },
    async state(id) {
      const value: unknown = await store.get(stateKey(id), { type: "json", consistency: "strong" });
      if (value && typeof value === "object" && typeof (value as DeliveryState).status === "string") return value as DeliveryState;
      // The webhook writes only the envelope (one write on GitHub's clock): its presence is "queued".
      const queued = await store.getMetadata(envelopeKey(id), { consistency: "strong" });
      if (!queued) return undefined;
      const { event, receivedAt } = queued.metadata as Record<string, unknown>;
      return { status: "queued", event: String(event), attempts: 0, updatedAt: typeof receivedAt === "string" ? receivedAt : "" };
    },
    async record(id, state) {
      await store.setJSON(stateKey(id), { ...state, updatedAt: now().toISOString() } satisfies DeliveryState);
    },
  };
}

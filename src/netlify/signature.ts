// GitHub's webhook signature: `X-Hub-Signature-256: sha256=<hex>`, the HMAC-SHA256 of the exact
// body bytes under the webhook secret. Checked on the raw bytes before anything parses them.

import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const SHA256 = /^sha256=([0-9a-f]{64})$/i;

/** `signature256` is the `X-Hub-Signature-256` header; `sha1` says whether only the legacy header came. */
export function verifySignature(secret: string, body: Uint8Array, signature256: string | null | undefined, sha1?: string | null): SignatureCheck {
  if (signature256 === null || signature256 === undefined || signature256 === "") {
    return { ok: false, reason: sha1 ? "only an X-Hub-Signature (SHA-1) header: X-Hub-Signature-256 is required" : "no X-Hub-Signature-256 header" };
  }
  const match = SHA256.exec(signature256.trim());
  if (!match) return { ok: false, reason: "X-Hub-Signature-256 is not sha256=<64 hex digits>" };
  const expected = createHmac("sha256", secret).update(body).digest();
  const given = Buffer.from(match[1]!, "hex");
  // Both are 32 bytes (the pattern fixes the length), so the comparison takes constant time.
  return timingSafeEqual(expected, given) ? { ok: true } : { ok: false, reason: "X-Hub-Signature-256 does not match the body" };
}

/** The header GitHub would send for `body`: for tests, the benchmark and local tools. */
export function signatureFor(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

// Masks configured secrets (model keys, GitHub tokens, the App's private key and webhook secret)
// in any text before it is shown: providers and gateways echo keys in their error bodies, and
// whatever they echo would otherwise reach reports, logs, comments and check runs.

/** What a secret is replaced with. */
export const MASK = "***";

/**
 * Secrets shorter than this are not masked: a short value ("true", "1", a model name) would
 * shred ordinary text, and is no key anyway.
 */
const MIN_SECRET_LENGTH = 8;

/**
 * Environment variables whose values are secrets: every `*_API_KEY`, `*_KEY` (PRIVATE_KEY),
 * `*_TOKEN`, `*_SECRET` (WEBHOOK_SECRET) and `*_PASSWORD`, plus the names a config's
 * `providers.<name>.apiKeyEnv` adds.
 */
// Separators may be `-` too: the Action's inputs arrive as `INPUT_GITHUB-TOKEN`, `INPUT_OPENAI-API-KEY`.
const SECRET_NAME = /(?:^|[_-])(?:API[_-]?KEY|KEY|TOKEN|SECRET|PASSWORD|PASSWD)(?:$|[_-])/i;

/** The values of the secret-holding variables of `env` (and of `extraNames`), for a Redactor or `setSecret`. */
export function secretsFrom(env: Record<string, string | undefined>, extraNames: readonly string[] = []): string[] {
  const names = new Set(extraNames);
  const values = new Set<string>();
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || value.length < MIN_SECRET_LENGTH) continue;
    if (!names.has(name) && !SECRET_NAME.test(name)) continue;
    values.add(value);
    // A PEM key given with `\n` escapes or as base64 (as Probot accepts it) is used decoded.
    if (value.includes("\\n")) values.add(value.replace(/\\n/g, "\n"));
    const decoded = decodeBase64(value);
    if (decoded?.startsWith("-----BEGIN")) values.add(decoded);
  }
  return [...values];
}

function decodeBase64(value: string): string | undefined {
  if (!/^[A-Za-z0-9+/=\s]+$/.test(value)) return undefined;
  try {
    const binary = atob(value.replace(/\s+/g, ""));
    return new TextDecoder().decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

export interface Redactor {
  /** `text` with every secret (and its common encodings) replaced by `***`. */
  redact(text: string): string;
  /** The same Redactor masking `more` as well. */
  with(more: readonly (string | undefined)[]): Redactor;
  readonly secrets: readonly string[];
}

/**
 * A Redactor for `secrets`. Besides the raw value it masks the forms a secret takes on the
 * wire and in echoed bodies: JSON-escaped (a PEM's newlines as `\n`), URL-encoded and base64
 * (HTTP Basic auth), and each line of a multi-line secret (a PEM key printed line by line).
 */
export function createRedactor(secrets: readonly (string | undefined)[] = []): Redactor {
  const raw = [...new Set(secrets.filter((s): s is string => typeof s === "string" && s.length >= MIN_SECRET_LENGTH))];
  const forms = new Set<string>();
  for (const secret of raw) {
    for (const form of encodings(secret)) if (form.length >= MIN_SECRET_LENGTH) forms.add(form);
  }
  // Longest first, so a secret containing another is masked whole.
  const ordered = [...forms].sort((a, b) => b.length - a.length);
  const pattern = ordered.length > 0 ? new RegExp(ordered.map(escapeRegExp).join("|"), "g") : undefined;
  return {
    secrets: raw,
    redact: (text) => (pattern && text ? text.replace(pattern, MASK) : text),
    with: (more) => createRedactor([...raw, ...more]),
  };
}

/** A Redactor that masks nothing. */
export const NO_REDACTION: Redactor = createRedactor();

function encodings(secret: string): string[] {
  const out = [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret), base64(secret)];
  if (secret.includes("\n")) {
    for (const line of secret.split(/\r?\n/)) {
      // PEM armour lines (`-----BEGIN ...-----`) are public; the base64 body lines are not.
      if (!line.startsWith("-----")) out.push(line.trim());
    }
  }
  return out;
}

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, "");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Every string inside `value` (an object tree such as a report) with secrets masked. */
export function redactDeep<T>(value: T, redactor: Redactor): T {
  if (redactor.secrets.length === 0) return value;
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redactor.redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * `error` with secrets masked in its message and stack, for errors that leave through a
 * framework's own logging (Probot logs a failed handler's error itself). Returned as is when
 * there is nothing to mask; an Error is masked in place, so its class and fields survive.
 */
export function redactError(error: unknown, redactor: Redactor): unknown {
  if (redactor.secrets.length === 0) return error;
  if (!(error instanceof Error)) return typeof error === "string" ? redactor.redact(error) : error;
  const message = redactor.redact(error.message);
  if (message !== error.message) error.message = message;
  if (typeof error.stack === "string") error.stack = redactor.redact(error.stack);
  const errors = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors)) for (const inner of errors) redactError(inner, redactor);
  return error;
}

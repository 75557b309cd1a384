import { parseRetryAfter, toProviderError } from "../../../src/core/providers/errors.js";
import { ProviderError } from "../../../src/core/providers/port.js";

describe("parseRetryAfter", () => {
  const now = () => Date.parse("2025-10-01T12:00:00Z");

  it("reads seconds, milliseconds and HTTP dates", () => {
    expect(parseRetryAfter(new Headers({ "retry-after": "2" }))).toBe(2000);
    expect(parseRetryAfter(new Headers({ "retry-after": "1.5" }))).toBe(1500);
    expect(parseRetryAfter(new Headers({ "retry-after-ms": "120", "retry-after": "9" }))).toBe(120);
    expect(parseRetryAfter({ "Retry-After": "Wed, 01 Oct 2025 12:00:30 GMT" }, now)).toBe(30_000);
    expect(parseRetryAfter({ "retry-after": "Wed, 01 Oct 2025 11:00:00 GMT" }, now)).toBe(0);
  });

  it("ignores what it cannot use", () => {
    expect(parseRetryAfter(undefined)).toBeUndefined();
    expect(parseRetryAfter(new Headers())).toBeUndefined();
    expect(parseRetryAfter(new Headers({ "retry-after": "soon" }))).toBeUndefined();
    // A date without a clock: the runner's own backoff applies.
    expect(parseRetryAfter(new Headers({ "retry-after": "Wed, 01 Oct 2025 12:00:30 GMT" }))).toBeUndefined();
  });
});

describe("toProviderError", () => {
  const context = { model: "openai/gpt-4o" };

  it("passes a ProviderError through", () => {
    const error = new ProviderError("auth", "nope");
    expect(toProviderError(error, context)).toBe(error);
  });

  it("classifies fetch failures by their cause code", () => {
    const refused = Object.assign(new TypeError("fetch failed"), { cause: Object.assign(new Error("connect"), { code: "ECONNREFUSED" }) });
    const mapped = toProviderError(refused, context);
    expect(mapped.kind).toBe("network");
    expect(mapped.message).toBe("openai/gpt-4o: could not reach the provider (ECONNREFUSED)");
    expect(toProviderError(new Error("socket hang up"), context).kind).toBe("network");
  });

  it("classifies aborts as timeouts and statuses by class", () => {
    expect(toProviderError(new DOMException("aborted", "AbortError"), context).kind).toBe("timeout");
    expect(toProviderError(Object.assign(new Error("x"), { status: 408 }), context).kind).toBe("timeout");
    expect(toProviderError(Object.assign(new Error("x"), { status: 529 }), context).kind).toBe("server");
    expect(toProviderError(Object.assign(new Error("x"), { status: 404 }), context).kind).toBe("bad-request");
    expect(toProviderError(new SyntaxError("Unexpected token"), context).kind).toBe("malformed");
  });
});

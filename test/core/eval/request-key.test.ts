import { canonicalJson, requestKey } from "../../../src/core/eval/request-key.js";
import type { ModelRequest } from "../../../src/core/providers/port.js";

const request: ModelRequest = {
  model: "openai/gpt-4o-mini",
  messages: [
    { role: "system", content: "Summarize." },
    { role: "user", content: "My parcel is late." },
  ],
  parameters: { temperature: 0, max_tokens: 100 },
  repeat: 0,
};

describe("requestKey", () => {
  it("is a sha256 hex digest, stable across parameter key order and labels", () => {
    const key = requestKey(request);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(requestKey({ ...request, parameters: { max_tokens: 100, temperature: 0 }, label: "support/summary#late (base)" })).toBe(key);
    expect(requestKey({ ...request, responseFormat: "text" })).toBe(key);
  });

  it("keeps its recipe: a cached answer from an earlier version is still found", () => {
    const nested = {
      ...request,
      messages: [...request.messages.slice(0, 1), { role: "user" as const, content: 'My parcel is late. "quoted" ünïcode' }],
      parameters: { temperature: 0, max_tokens: 100, stop: ["a", undefined], nested: { b: 1, a: [1, { d: undefined, c: null }] } },
      repeat: 2,
      jsonSchema: { type: "object" },
      responseFormat: "json_schema" as const,
    };
    expect(requestKey(nested)).toBe("a7036225a3d9f94895c04eb1e052e4618a67a2331e53f15d0fac244f7b43d32c");
  });

  it("ignores message fields that are not sent", () => {
    const withLines = { ...request, messages: request.messages.map((m, i) => ({ ...m, line: i + 3 })) };
    expect(requestKey(withLines)).toBe(requestKey(request));
  });

  it.each<[string, Partial<ModelRequest>]>([
    ["model", { model: "openai/gpt-4o" }],
    ["parameters", { parameters: { temperature: 0.1, max_tokens: 100 } }],
    ["messages", { messages: [{ role: "user", content: "My parcel is late." }] }],
    ["responseFormat", { responseFormat: "json_object" }],
    ["jsonSchema", { responseFormat: "json_schema", jsonSchema: { type: "object" } }],
    ["repeat", { repeat: 1 }],
  ])("changes with %s", (_field, change) => {
    expect(requestKey({ ...request, ...change })).not.toBe(requestKey(request));
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined members", () => {
    expect(canonicalJson({ b: 1, a: { d: [{ z: 1, y: 2 }], c: undefined } })).toBe('{"a":{"d":[{"y":2,"z":1}]},"b":1}');
  });
});

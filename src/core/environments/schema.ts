// The JSON Schema of the pins file. Closed objects, so a typo is an error at its line.

const str = { type: "string" } as const;
const fraction = { type: "number", minimum: 0, maximum: 1 } as const;

export const ENVIRONMENTS_SCHEMA = {
  type: "object",
  additionalProperties: false,
  required: ["environments"],
  properties: {
    environments: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          // A version is written as YAML reads it: `1.4.0` is a string, `2` a number (reported by the loader).
          pins: { type: "object", additionalProperties: { type: ["string", "number"] } },
          promoteFrom: str,
          owners: { type: "array", items: str },
          gates: {
            type: "object",
            additionalProperties: false,
            properties: {
              minScore: fraction,
              maxRegression: fraction,
              minPassRate: fraction,
              requireGolden: { type: "boolean" },
              maxCostIncrease: { type: "number", minimum: 0 },
              ignoreNoise: { type: "boolean" },
            },
          },
          // Exactly one of url and file: checked by the loader, with a message that says so.
          deployed: {
            type: "object",
            additionalProperties: false,
            properties: { url: { type: "string", pattern: "^https?://" }, timeoutMs: { type: "integer", minimum: 1 }, file: { type: "string", minLength: 1 } },
          },
        },
      },
    },
  },
} as const;

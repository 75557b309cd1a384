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
      propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]*$" },
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
          deployed: {
            oneOf: [
              {
                type: "object",
                additionalProperties: false,
                required: ["url"],
                properties: { url: { type: "string", pattern: "^https?://" }, timeoutMs: { type: "integer", minimum: 1 } },
              },
              { type: "object", additionalProperties: false, required: ["file"], properties: { file: { type: "string", minLength: 1 } } },
            ],
          },
        },
      },
    },
  },
} as const;

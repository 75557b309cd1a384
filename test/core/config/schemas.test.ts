// The fixed JSON Schemas PromptOps validates its own files with. They are compiled without Ajv's
// meta-schema check (it costs as much as the compile, on every start), so it is done here: a
// schema edit that is not valid JSON Schema fails this test instead of being half-applied.

import { Ajv } from "ajv";
import { CONFIG_SCHEMA } from "../../../src/core/config/schema.js";
import { DEPLOYED_REPORT_SCHEMA } from "../../../src/core/environments/deployed.js";
import { ENVIRONMENTS_SCHEMA } from "../../../src/core/environments/schema.js";

describe("PromptOps' own schemas", () => {
  it.each([
    ["config", CONFIG_SCHEMA],
    ["environments", ENVIRONMENTS_SCHEMA],
    ["deployed report", DEPLOYED_REPORT_SCHEMA],
  ])("the %s schema is valid JSON Schema and compiles in strict mode", (_, schema) => {
    const ajv = new Ajv({ allowUnionTypes: true });
    expect(ajv.validateSchema(schema as object)).toBe(true);
    expect(ajv.errors ?? null).toBeNull();
    expect(() => ajv.compile(schema as object)).not.toThrow();
  });

  it("the meta-schema check this test stands for does catch a broken schema", () => {
    const ajv = new Ajv();
    expect(ajv.validateSchema({ type: "object", properties: { a: { type: "strnig" } } })).toBe(false);
  });
});

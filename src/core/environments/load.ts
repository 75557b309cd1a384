// Turns the pins file into Environments, or into diagnostics at file:line:col: schema errors,
// versions that are not semver, and a `promoteFrom` that names no environment or a cycle.

import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { loadYamlDocument } from "../config/load.js";
import type { GateConfig } from "../config/model.js";
import type { Diagnostic } from "../diagnostics.js";
import type { TreeReader } from "../files.js";
import { versionProblem } from "../versions/bump.js";
import { ENVIRONMENTS_PATH, type DeployedSource, type Environment, type Environments } from "./model.js";
import { ENVIRONMENTS_SCHEMA } from "./schema.js";

export interface LoadedEnvironments {
  environments: Environments;
  diagnostics: Diagnostic[];
  /** False when the file does not exist (no environment is defined). */
  exists: boolean;
}

// The schema is fixed and checked against the meta-schema by the tests: not validated again here.
let validator: ValidateFunction | undefined;
function validate(value: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: true, verbose: true, allowUnionTypes: true, validateSchema: false }).compile(ENVIRONMENTS_SCHEMA);
  return validator(value) ? [] : [...(validator.errors ?? [])];
}

interface RawEnvironment {
  pins?: Record<string, string | number>;
  promoteFrom?: string;
  owners?: string[];
  gates?: Partial<GateConfig>;
  deployed?: { url?: string; file?: string; timeoutMs?: number };
}

export function loadEnvironments(text: string | undefined, file: string = ENVIRONMENTS_PATH): LoadedEnvironments {
  const empty: Environments = { file, environments: [] };
  const exists = text !== undefined;
  const doc = loadYamlDocument(text, file, {
    validate,
    rule: "environments",
    name: "the environments file",
    notAMapping: "the environments file must be a mapping with an `environments` key",
  });
  if (doc.value === undefined || doc.diagnostics.length > 0) return { environments: empty, diagnostics: doc.diagnostics, exists };

  const diagnostics: Diagnostic[] = [];
  const error = (at: { line: number; column: number } | undefined, message: string, rule: string) =>
    diagnostics.push({ file, line: at?.line ?? 1, column: at?.column ?? 1, severity: "error", message, rule });
  const raw = doc.value.environments as Record<string, RawEnvironment>;
  const environments: Environment[] = [];
  for (const [name, value] of Object.entries(raw)) {
    const pins = [];
    for (const [promptId, written] of Object.entries(value.pins ?? {})) {
      const at = doc.positionOf(["environments", name, "pins", promptId]);
      const line = at?.line ?? 1;
      const version = String(written);
      const problem = typeof written === "number" ? `write the version of ${promptId} in full, e.g. "${version}.0.0"` : versionProblem(version);
      if (problem !== undefined) {
        error(at, `environments.${name}.pins["${promptId}"]: ${problem}`, "environments-version");
        continue;
      }
      pins.push({ promptId, version, line });
    }
    let deployed: DeployedSource | undefined;
    if (value.deployed !== undefined) {
      const { url, file: path, timeoutMs } = value.deployed;
      const at = doc.positionOf(["environments", name, "deployed"]);
      if ((url === undefined) === (path === undefined)) error(at, `environments.${name}.deployed needs exactly one of url (the service's report) or file (a report in the repository)`, "environments-schema");
      else if (url !== undefined) deployed = { url, ...(timeoutMs !== undefined && { timeoutMs }) };
      else if (timeoutMs !== undefined) error(at, `environments.${name}.deployed.timeoutMs applies to a url, not a file`, "environments-schema");
      else deployed = { file: path! };
    }
    environments.push({
      name,
      pins,
      ...(value.promoteFrom !== undefined && { promoteFrom: value.promoteFrom }),
      owners: value.owners ?? [],
      gates: value.gates ?? {},
      ...(deployed !== undefined && { deployed }),
      line: doc.positionOf(["environments", name])?.line ?? 1,
    });
  }

  const names = new Set(environments.map((e) => e.name));
  for (const env of environments) {
    if (env.promoteFrom === undefined) continue;
    const line = doc.positionOf(["environments", env.name, "promoteFrom"]);
    if (!names.has(env.promoteFrom)) {
      error(line, `environments.${env.name}.promoteFrom names "${env.promoteFrom}", which is not an environment here (${[...names].join(", ")})`, "environments-promote-from");
    } else if (promotionChain(environments, env.name) === undefined) {
      error(line, `environments.${env.name}.promoteFrom makes a cycle; a promotion must start somewhere`, "environments-promote-from");
    }
  }
  if (diagnostics.length > 0) return { environments: empty, diagnostics, exists };
  return { environments: { file, environments }, diagnostics: [], exists };
}

/** `[name, promoteFrom, its promoteFrom, ...]`, or undefined when the chain loops. */
function promotionChain(environments: readonly Environment[], name: string): string[] | undefined {
  const chain: string[] = [];
  let current: string | undefined = name;
  while (current !== undefined) {
    if (chain.includes(current)) return undefined;
    chain.push(current);
    current = environments.find((e) => e.name === current)?.promoteFrom;
  }
  return chain;
}

/** Reads and loads the pins file from a revision (one read). */
export async function readEnvironments(tree: TreeReader, file: string = ENVIRONMENTS_PATH): Promise<LoadedEnvironments> {
  const blob = (await tree.read([file])).get(file) ?? { kind: "missing" };
  if (blob.kind === "missing") return loadEnvironments(undefined, file);
  if (blob.kind !== "text") {
    const why = blob.kind === "binary" ? "is not text" : "is too large";
    return {
      environments: { file, environments: [] },
      diagnostics: [{ file, line: 1, column: 1, severity: "error", message: `the environments file ${why}`, rule: "environments-syntax" }],
      exists: true,
    };
  }
  return loadEnvironments(blob.text, file);
}

// JUnit output checked against the common JUnit XML schema (the Ant/Jenkins `junit-10.xsd`
// shape that GitHub Actions test reporters read): allowed elements, attributes and order, and
// counts that agree with the testcases.

import { renderJUnit } from "../../../src/core/report/junit.js";
import { caseResult, comparedCase, comparison, review } from "./fixtures.js";

interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}

function unescape(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, "&");
}

/** Elements and attributes only (text is checked by the well-formedness test). */
function parseXml(xml: string): XmlNode {
  const root: XmlNode = { name: "#document", attrs: {}, children: [] };
  const stack = [root];
  for (const m of xml.replace(/^<\?xml[^?]*\?>/, "").matchAll(/<(\/?)([A-Za-z_][\w.-]*)((?:\s+[\w.-]+="[^"]*")*)\s*(\/?)>/g)) {
    const [, closing, name, attrText, selfClosing] = m;
    if (closing) {
      expect(stack.pop()?.name).toBe(name);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText.matchAll(/([\w.-]+)="([^"]*)"/g)) attrs[a[1]] = unescape(a[2]);
    const node: XmlNode = { name, attrs, children: [] };
    stack[stack.length - 1].children.push(node);
    if (!selfClosing) stack.push(node);
  }
  expect(stack).toHaveLength(1);
  expect(root.children).toHaveLength(1);
  return root.children[0];
}

const ATTRIBUTES: Record<string, { allowed: string[]; required: string[] }> = {
  testsuites: { allowed: ["name", "tests", "failures", "errors", "skipped", "disabled", "time", "timestamp"], required: [] },
  testsuite: {
    allowed: ["name", "tests", "failures", "errors", "skipped", "disabled", "time", "timestamp", "hostname", "id", "package", "file"],
    required: ["name", "tests", "failures", "errors", "time"],
  },
  properties: { allowed: [], required: [] },
  property: { allowed: ["name", "value"], required: ["name", "value"] },
  testcase: { allowed: ["name", "classname", "time", "file", "line", "assertions", "status"], required: ["name", "classname", "time"] },
  failure: { allowed: ["message", "type"], required: [] },
  error: { allowed: ["message", "type"], required: [] },
  skipped: { allowed: ["message"], required: [] },
  "system-out": { allowed: [], required: [] },
  "system-err": { allowed: [], required: [] },
};

// Children of each element, in the order the schema's sequence wants them (a name may repeat
// where the schema allows many).
const CHILD_ORDER: Record<string, string[]> = {
  testsuites: ["testsuite"],
  testsuite: ["properties", "testcase", "system-out", "system-err"],
  properties: ["property"],
  testcase: ["properties", "skipped|error|failure", "system-out", "system-err"],
};

function checkNode(node: XmlNode): void {
  const rule = ATTRIBUTES[node.name];
  expect(rule).toBeDefined();
  for (const attr of Object.keys(node.attrs)) expect(rule.allowed).toContain(attr);
  for (const attr of rule.required) expect(node.attrs).toHaveProperty(attr);
  for (const numeric of ["tests", "failures", "errors", "skipped"]) {
    if (numeric in node.attrs && node.name.startsWith("testsuite")) expect(node.attrs[numeric]).toMatch(/^\d+$/);
  }
  if ("time" in node.attrs) expect(node.attrs.time).toMatch(/^\d+(\.\d+)?$/);
  const order = CHILD_ORDER[node.name] ?? [];
  let position = 0;
  const seen = new Map<string, number>();
  for (const child of node.children) {
    const slot = order.findIndex((names) => names.split("|").includes(child.name));
    expect({ parent: node.name, child: child.name, allowed: slot >= position }).toEqual({ parent: node.name, child: child.name, allowed: true });
    position = slot;
    seen.set(order[slot], (seen.get(order[slot]) ?? 0) + 1);
    checkNode(child);
  }
  if (node.name === "testcase") {
    // At most one outcome per testcase, and at most one properties / system-out.
    for (const [slot, n] of seen) if (slot !== "property") expect(n).toBe(1);
  }
}

function outcomeOf(testcase: XmlNode): string {
  return testcase.children.find((c) => ["failure", "error", "skipped"].includes(c.name))?.name ?? "pass";
}

describe("renderJUnit against the common JUnit schema", () => {
  const result = review([
    comparison(
      "support/summary",
      [
        comparedCase("regressed", 0.9, 0.2, { source: { file: "evals/s.jsonl", line: 3 } }),
        comparedCase("fine", 0.7, 0.7),
        comparedCase("new <case> & \"quotes\"", 0, 1, { status: "new", base: undefined }),
        {
          caseId: "boom",
          status: "error",
          base: caseResult("base", "boom", 1, "ok"),
          head: caseResult("head", "boom", 0, "", { error: { kind: "server", message: "502 <Bad> Gateway" }, pass: false }),
        },
      ],
      { removedCases: ["gone"], scoreDelta: -0.35, withinNoise: false },
    ),
    comparison("billing/refund", [comparedCase("ok", 0.5, 0.6, { status: "improved" })]),
  ]);
  const tree = parseXml(renderJUnit(result));

  it("uses only the schema's elements and attributes, in its order", () => {
    expect(tree.name).toBe("testsuites");
    checkNode(tree);
  });

  it("counts tests, failures, errors, skipped and time consistently with the testcases", () => {
    const totals = { tests: 0, failures: 0, errors: 0, skipped: 0 };
    let time = 0;
    for (const suite of tree.children) {
      const cases = suite.children.filter((c) => c.name === "testcase");
      const outcomes = cases.map(outcomeOf);
      const counts = {
        tests: cases.length,
        failures: outcomes.filter((o) => o === "failure").length,
        errors: outcomes.filter((o) => o === "error").length,
        skipped: outcomes.filter((o) => o === "skipped").length,
      };
      expect({ tests: +suite.attrs.tests, failures: +suite.attrs.failures, errors: +suite.attrs.errors, skipped: +suite.attrs.skipped }).toEqual(counts);
      const caseTime = cases.reduce((sum, c) => sum + Number(c.attrs.time), 0);
      expect(Number(suite.attrs.time)).toBeCloseTo(caseTime, 2);
      for (const key of Object.keys(totals) as (keyof typeof totals)[]) totals[key] += counts[key];
      time += Number(suite.attrs.time);
    }
    expect({ tests: +tree.attrs.tests, failures: +tree.attrs.failures, errors: +tree.attrs.errors, skipped: +tree.attrs.skipped }).toEqual(totals);
    expect(Number(tree.attrs.time)).toBeCloseTo(time, 2);
    expect(totals).toEqual({ tests: 6, failures: 1, errors: 1, skipped: 1 });
  });

  it("names each testcase by case id with the prompt as classname, and keeps failure details as attributes", () => {
    const suite = tree.children[0];
    const cases = suite.children.filter((c) => c.name === "testcase");
    expect(cases.map((c) => c.attrs.name)).toEqual(["regressed", "fine", 'new <case> & "quotes"', "boom", "gone"]);
    expect(new Set(cases.map((c) => c.attrs.classname))).toEqual(new Set(["support/summary"]));
    const failure = cases[0].children.find((c) => c.name === "failure")!;
    expect(failure.attrs).toMatchObject({ type: "regressed", message: expect.stringContaining("regressed") });
    const error = cases[3].children.find((c) => c.name === "error")!;
    expect(error.attrs).toEqual({ message: "server: 502 <Bad> Gateway", type: "server" });
    expect(cases[4].children.find((c) => c.name === "skipped")!.attrs).toEqual({ message: "removed from the golden set" });
  });
});

// The webhook function's cold start: bundled as Netlify bundles it, what loads with it must not
// include a model SDK or the evaluation engine; those come in only through dynamic imports, and
// the quick routes' chunk (run inside the webhook) still loads no SDK.

import { execFile } from "node:child_process";
import { rm } from "node:fs/promises";
import { promisify } from "node:util";
import { bundleFunction, type FunctionBundle } from "../support/function-bundle.js";
import { SECRET } from "./harness.js";
import { signatureFor } from "../../src/netlify/signature.js";

const SDK = /node_modules\/(openai|@anthropic-ai\/sdk)\//;
const ENGINE = /^src\/core\/(eval\/|review\.ts$)/;

let bundle: FunctionBundle;
beforeAll(async () => {
  bundle = await bundleFunction("netlify/functions/github-webhooks.mts");
}, 60_000);
afterAll(async () => {
  await rm(bundle.outdir, { recursive: true, force: true });
});

describe("the webhook function's bundle", () => {
  it("loads neither a model SDK nor the evaluation engine on the acknowledgement path", () => {
    const inputs = bundle.inputsOf(bundle.staticClosure(bundle.entry));
    expect(inputs).toContain("src/netlify/webhook.ts");
    expect(inputs).toContain("src/host/routes.ts");
    expect(inputs.filter((i) => SDK.test(i) || ENGINE.test(i))).toEqual([]);
    expect(inputs.filter((i) => /^src\/workflows\//.test(i) || /node_modules\/probot\//.test(i))).toEqual([]);
    // The scheduled drift check is a function of its own, never loaded by the webhook.
    expect(Object.values(bundle.metafile.outputs).flatMap((o) => Object.keys(o.inputs))).not.toContain("src/netlify/scheduled-drift.ts");
  });

  it("holds the engine and the SDKs in chunks loaded on demand, and the quick routes' chunk loads no SDK", () => {
    const all = Object.values(bundle.metafile.outputs).flatMap((o) => Object.keys(o.inputs));
    expect(all.some((i) => SDK.test(i))).toBe(true);
    expect(all).toContain("src/core/review.ts");
    const quick = bundle.outputHolding("src/netlify/run-routes.ts")!;
    expect(bundle.staticClosure(bundle.entry)).not.toContain(quick);
    expect(bundle.inputsOf(bundle.staticClosure(quick)).filter((i) => SDK.test(i))).toEqual([]);
  });

  it("runs as bundled: a signed ping is answered in a fresh Node process", async () => {
    const body = JSON.stringify({ zen: "Keep it logically awesome.", hook_id: 1 });
    const script = `
      const { default: handler } = await import(${JSON.stringify(bundle.entry)});
      const res = await handler(new Request("https://promptops.example/api/github/webhooks", {
        method: "POST",
        headers: { "x-github-event": "ping", "x-github-delivery": "d-1", "x-hub-signature-256": ${JSON.stringify(signatureFor(SECRET, body))} },
        body: ${JSON.stringify(body)},
      }), {});
      process.stdout.write(res.status + " " + (await res.text()));
    `;
    const env = { PATH: process.env.PATH ?? "", APP_ID: "1", WEBHOOK_SECRET: SECRET, PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nMIIB\\n-----END PRIVATE KEY-----" };
    const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { env });
    expect(stdout).toBe("200 pong\n");
  });
});

// `npm run demo:record`: rewrites demo/replay.json. It runs the demo review with `--record`
// against a local OpenAI-compatible server whose answers are scripted below to behave like a
// model would on these prompts: the base ticket-summary prompt sometimes labels the last bullet
// "Request" (fixed by the head's explicit labels), and the head's new "security" intent pulls
// four account and billing messages away from their label (the regression the gate should catch).

import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { createDemoRepo, DEMO_REPLAY, PACKAGE_ROOT } from "../src/cli/demo-repo.js";
import { main } from "../src/cli/main.js";
import { startModelServer, type ReceivedRequest } from "../test/support/model-server.js";

type Message = { role: string; content: string };

async function expectedSummaries(): Promise<Map<string, string>> {
  const byTicket = new Map<string, string>();
  for (const file of ["examples/prompts/support/ticket-summary.golden.jsonl", "demo/head/prompts/support/ticket-summary.golden.jsonl"]) {
    for (const line of (await readFile(join(PACKAGE_ROOT, file), "utf8")).split("\n")) {
      if (!line.trim()) continue;
      const row = JSON.parse(line) as { vars: { ticket: string }; expected: string };
      byTicket.set(row.vars.ticket.trim(), row.expected);
    }
  }
  return byTicket;
}

async function expectedIntents(): Promise<Map<string, string>> {
  const csv = await readFile(join(PACKAGE_ROOT, "examples/prompts/classify/intent.golden.csv"), "utf8");
  const byMessage = new Map<string, string>();
  for (const line of csv.split("\n").slice(1)) {
    const match = /^[^,]+,(".*"|[^,]*),([^,]+)$/.exec(line.trim());
    if (match) byMessage.set(match[1]!.replace(/^"|"$/g, ""), match[2]!);
  }
  return byMessage;
}

function answer(messages: Message[], summaries: Map<string, string>, intents: Map<string, string>): string {
  const system = messages.find((m) => m.role === "system")?.content ?? "";
  const user = messages.filter((m) => m.role === "user").at(-1)?.content ?? "";
  if (system.includes("support triage assistant")) {
    const ticket = user.split("Ticket:")[1]?.trim() ?? "";
    const expected = summaries.get(ticket) ?? "- Problem: unclear\n- Tried: none\n- Ask: none";
    const explicitLabels = system.includes('exactly these labels');
    // Without explicit labels the model drifts to "Request" on longer tickets.
    return !explicitLabels && ticket.length > 120 ? expected.replace("- Ask:", "- Request:") : expected;
  }
  if (system.includes("classify customer messages")) {
    const label = intents.get(user.trim()) ?? "other";
    if (system.includes("security") && /password|charged|refund|invite/.test(user)) return "security";
    return label;
  }
  if (system.includes("support agent at Acme Cloud")) {
    const name = /Customer: (\S+)/.exec(user)?.[1] ?? "there";
    return `Hi ${name},\n\nthanks for reaching out. We are on it and will follow up in this thread.\n\nThe Acme Support Team`;
  }
  return user;
}

const summaries = await expectedSummaries();
const intents = await expectedIntents();
const server = await startModelServer({
  latencyMs: 40,
  handler: (request: ReceivedRequest) => answer(request.body.messages as Message[], summaries, intents),
});
const repo = await createDemoRepo();
try {
  const code = await main(["review", "--base", "HEAD~1", "--head", "HEAD", "--no-cache", "--record", DEMO_REPLAY, "--format", "json", "--out", "/dev/null"], {
    cwd: repo.dir,
    env: { OPENAI_BASE_URL: `${server.url}/v1` },
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
    isTTY: false,
    setExitCode: () => {},
  });
  // A local server's latency is this machine's noise; a hosted model's grows with the tokens it
  // writes, so the recordings get that shape and the demo shows no made-up latency change.
  const recorded = JSON.parse(await readFile(DEMO_REPLAY, "utf8")) as Record<string, { usage: { output: number }; latencyMs: number }>;
  for (const entry of Object.values(recorded)) entry.latencyMs = 180 + 12 * entry.usage.output;
  await writeFile(DEMO_REPLAY, `${JSON.stringify(recorded, null, 2)}\n`);
  console.log(`recorded ${server.requests.length} answers (review exit code ${code})`);
} finally {
  await repo.remove();
  await server.close();
}

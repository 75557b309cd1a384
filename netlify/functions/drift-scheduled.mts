// The serverless App's scheduled drift check, every hour: one issue per drifting environment in
// every repository the App is installed on (src/netlify/scheduled-drift.ts).

import { handleScheduledDrift } from "../../src/netlify/scheduled-drift.js";

export default async (req: Request): Promise<Response> => handleScheduledDrift(req, { env: process.env, schedule: config.schedule });

export const config = { schedule: "@hourly" };

// GitHub's webhook for the serverless App: verifies, acknowledges and queues (src/netlify/webhook.ts).

import type { NetlifyContext } from "../../src/netlify/stores.js";
import { handleWebhook, netlifyWebhookOptions } from "../../src/netlify/webhook.js";

export default async (req: Request, _context: NetlifyContext): Promise<Response> => handleWebhook(req, netlifyWebhookOptions(process.env));

export const config = { path: "/api/github/webhooks" };

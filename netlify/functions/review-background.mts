// The serverless App's background worker: runs a queued delivery (src/netlify/background.ts).

import { handleQueuedDelivery, netlifyBackgroundOptions } from "../../src/netlify/background.js";
import type { NetlifyContext } from "../../src/netlify/stores.js";

export default async (req: Request, context: NetlifyContext): Promise<Response> => {
  const response = await handleQueuedDelivery(req, netlifyBackgroundOptions(process.env, context));
  // Netlify retries a background invocation that fails (one and three minutes later).
  if (response.status >= 500) throw new Error(await response.text());
  return response;
};

export const config = { background: true };

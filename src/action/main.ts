// The Action's entry (dist/index.js is built from it): runs the Action and ends the process with
// its exit code. Ending it explicitly matters: idle keep-alive connections to GitHub and the
// model providers would otherwise hold the step open for seconds after the work is done.

import { sizeHeapForStreaming } from "../host/heap.js";
import { run } from "./run.js";

// An evaluation is a stream of short-lived requests: V8 sized for it keeps memory flat (host/heap.ts).
sizeHeapForStreaming();
void run().then((result) => process.exit(result.exitCode));

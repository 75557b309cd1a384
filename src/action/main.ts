// The Action's entry (dist/index.js is built from it): runs the Action and sets the exit code.

import { run } from "./run.js";

void run().then((result) => {
  process.exitCode = result.exitCode;
});

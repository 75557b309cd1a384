// Part of `npm run build`: writes `promptops --help` as commander prints it next to the built CLI,
// so `promptops --help` answers without loading commander (src/cli/main.ts, quickAnswer).
import { writeFileSync } from "node:fs";
import { HELP_FILE, topLevelHelp } from "../lib/cli/main.js";

writeFileSync(HELP_FILE, await topLevelHelp());

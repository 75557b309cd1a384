// How a process that runs evaluations (the CLI's eval and review, the Action) sizes V8's heap.
// An evaluation is a stream: each request, its answer and its scores live for a stage and are
// garbage after it, and what survives a stage is a few numbers per case. V8's default sizing
// is made for the opposite, a program whose live data grows, so it lets an evaluation's memory
// grow with its length although its live data does not:
// - the young generation doubles (up to 2 x 16 MB) whenever more bytes have survived scavenges
//   since its last growth than it holds. Over a long run the requests in flight always add up to
//   that, so a 100,000-case run ends with the largest young generation and a 1,000-case run
//   does not. Growth factor 1 keeps it at its starting size: objects that outlive it are the
//   stage's requests, which the old generation holds anyway.
// - after a full collection the old generation may grow to up to four times what survived
//   before the next one; with 30 % it collects when a stage or two of garbage has built up.
// `npm run bench` prints what this gives: peak RSS at 1,000, 10,000 and 100,000 cases.
// Both flags are read by V8 each time it resizes the heap, so setting them at run time takes
// effect from then on; a V8 without them ignores them.

import { setFlagsFromString } from "node:v8";

let applied = false;

/** Sizes the heap for a streaming run, once per process. Not for long-lived servers (the App). */
export function sizeHeapForStreaming(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString("--heap-growing-percent=30");
}

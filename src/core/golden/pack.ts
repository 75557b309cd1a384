// Collects a golden set's cases as they are parsed: drops repeated ids (reporting each at its
// line), and once a set outgrows PACK_CASES keeps its cases packed, one JSON line per case,
// compressed in chunks off the JavaScript heap, rather than as objects. A packed set parses a
// slice at a time (a run's stage, a lint window), so a 100,000-case set costs a fraction of its
// text (golden rows repeat their keys and phrasing: deflate takes them to a fifth or less)
// instead of its objects (about three times the bytes of its JSON, each of them traced by the
// garbage collector on every full collection).

import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { Diagnostic } from "../diagnostics.js";
import { caseIdFor } from "./cases.js";
import type { GoldenCase, GoldenSet } from "./model.js";
import { goldenSet } from "./model.js";

/** Sets up to this many cases keep them as objects (every inline set, most files). */
export const PACK_CASES = 2000;

/** Characters of case lines gathered before they are encoded into one buffer. */
const CHUNK_CHARS = 64 * 1024;

export interface GoldenCollector {
  /** Adds a case in file order; a repeated id is reported and skipped. */
  add(c: GoldenCase): void;
  finish(): GoldenSet;
}

/**
 * `packable`: the cases' values came from JSON or CSV, so a JSON line holds them exactly
 * (YAML can give numbers JSON cannot write, such as `.inf`: such sets stay objects).
 */
export function collectGolden(file: string, diagnostics: Diagnostic[], options: { packable: boolean }): GoldenCollector {
  let objects: GoldenCase[] | undefined = [];
  let packed: PackedLines | undefined;
  // Which ids were seen, by hash: a Map of 100,000 id strings would cost more than the packed set.
  const seenIds = new IdTable();
  /** Id and line of the case at `index` (already added). */
  const caseAt = (index: number): { id: string; line: number } => {
    if (objects) return { id: objects[index]!.id, line: objects[index]!.source.line };
    const [id, line] = JSON.parse(packed!.lines(index, index + 1)[0]!) as [string, number];
    return { id, line };
  };

  const pack = (c: GoldenCase) => packed!.push(JSON.stringify([c.id, c.source.line, c.vars, c.expected ?? null, c.assert ?? null]));

  return {
    add(c) {
      const index = objects ? objects.length : packed!.count;
      // A hash seen before is a repeated id once the earlier case's id is read back and equal.
      const earlier = seenIds.add(c.id, index, (i) => caseAt(i).id === c.id);
      const seen = earlier === undefined ? undefined : caseAt(earlier).line;
      if (seen !== undefined) {
        diagnostics.push({
          file: c.source.file,
          line: c.source.line,
          column: 1,
          severity: "error",
          message:
            c.id === caseIdFor(c.vars)
              ? `duplicate golden case: same variables as the row at line ${seen}; give the rows an "id" to keep both`
              : `duplicate golden case id "${c.id}" (first at line ${seen}); this row is ignored`,
          rule: "golden-duplicate-id",
        });
        return;
      }
      if (objects) {
        objects.push(c);
        if (options.packable && objects.length > PACK_CASES) {
          packed = new PackedLines();
          for (const o of objects) pack(o);
          objects = undefined;
        }
      } else pack(c);
    },
    finish() {
      return objects ? goldenSet(file, objects) : packedSet(file, packed!.seal());
    },
  };
}

/**
 * A set of strings by two 32-bit hashes, open addressing in typed arrays: about 12 bytes per id
 * instead of the id and a Map entry. Each slot keeps the index of the case it came from, so a hash
 * match is checked against the real id (`same`) before it counts as a repeat.
 */
class IdTable {
  private size = 0;
  private first = new Uint32Array(1024);
  private second = new Uint32Array(1024);
  /** Case index + 1; 0 marks a free slot. */
  private index = new Uint32Array(1024);

  /** Adds `id` for case `index`, or returns the index of an earlier case with the same id. */
  add(id: string, index: number, same: (earlier: number) => boolean): number | undefined {
    const [h1, h2] = hashes(id);
    const mask = this.index.length - 1;
    let slot = h1 & mask;
    for (; this.index[slot] !== 0; slot = (slot + 1) & mask) {
      if (this.first[slot] === h1 && this.second[slot] === h2 && same(this.index[slot]! - 1)) return this.index[slot]! - 1;
    }
    this.first[slot] = h1;
    this.second[slot] = h2;
    this.index[slot] = index + 1;
    if (++this.size * 2 > this.index.length) this.grow();
    return undefined;
  }

  private grow(): void {
    const { first, second, index } = this;
    const capacity = index.length * 2;
    this.first = new Uint32Array(capacity);
    this.second = new Uint32Array(capacity);
    this.index = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let i = 0; i < index.length; i++) {
      if (index[i] === 0) continue;
      let slot = first[i]! & mask;
      while (this.index[slot] !== 0) slot = (slot + 1) & mask;
      this.first[slot] = first[i]!;
      this.second[slot] = second[i]!;
      this.index[slot] = index[i]!;
    }
  }
}

/** Two independent 32-bit hashes of a string (FNV-1a, and a multiplicative hash seeded apart). */
function hashes(text: string): [number, number] {
  let a = 0x811c9dc5;
  let b = 0x9747b28c;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
    b ^= b >>> 15;
  }
  return [a >>> 0, b >>> 0];
}

/** Where a chunk's text is encoded before it is compressed (made on first use, grown for a very long line). */
let scratch = Buffer.alloc(0);

/** Lines of text kept as deflated UTF-8 chunks of about CHUNK_CHARS characters each. */
class PackedLines {
  readonly chunks: Buffer[] = [];
  /** Index of the first line of each chunk. */
  readonly firstLine: number[] = [];
  count = 0;
  private pending: string[] = [];
  private pendingChars = 0;

  push(line: string): void {
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars >= CHUNK_CHARS) this.flush();
  }

  seal(): this {
    this.flush();
    return this;
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.firstLine.push(this.count - this.pending.length);
    // JSON text never holds a raw newline, so lines are split on it. Level 1: most of the
    // saving for a fraction of the time (64 KB in well under a millisecond).
    // Encoded into one reused buffer: a new one per chunk would be garbage outside the heap,
    // which V8 lets pile up to tens of megabytes before it collects.
    const text = this.pending.join("\n");
    if (scratch.length < text.length * 3) scratch = Buffer.allocUnsafeSlow(text.length * 3);
    const length = scratch.write(text, "utf8");
    // Copied to its own size: zlib returns a view of a 16 KB output buffer.
    this.chunks.push(Buffer.from(deflateRawSync(scratch.subarray(0, length), { level: 1 })));
    this.pending = [];
    this.pendingChars = 0;
  }

  /** Lines `start` to `end` (excluded). */
  lines(start: number, end: number): string[] {
    const out: string[] = [];
    if (start >= end) return out;
    // The last chunk starting at or before `start`.
    let low = 0;
    let high = this.firstLine.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.firstLine[mid]! <= start) low = mid;
      else high = mid - 1;
    }
    for (let c = low; c < this.chunks.length && this.firstLine[c]! < end; c++) {
      const lines = inflateRawSync(this.chunks[c]!).toString("utf8").split("\n");
      const first = this.firstLine[c]!;
      for (let i = Math.max(start, first); i < Math.min(end, first + lines.length); i++) out.push(lines[i - first]!);
    }
    // Lines not yet in a chunk (while the set is still being collected).
    const flushed = this.count - this.pending.length;
    for (let i = Math.max(start, flushed); i < Math.min(end, this.count); i++) out.push(this.pending[i - flushed]!);
    return out;
  }
}

function packedSet(file: string, packed: PackedLines): GoldenSet {
  const size = packed.count;
  const clamp = (n: number) => Math.max(0, Math.min(size, Math.trunc(n)));
  return {
    file,
    size,
    slice(start = 0, end = size) {
      return packed.lines(clamp(start), clamp(end)).map((text) => {
        const [id, line, vars, expected, assert] = JSON.parse(text) as [string, number, Record<string, unknown>, string | null, Record<string, unknown>[] | null];
        const c: GoldenCase = { id, vars, source: { file, line } };
        if (expected !== null) c.expected = expected;
        if (assert !== null) c.assert = assert;
        return c;
      });
    },
    ids() {
      return packed.lines(0, size).map((text) => (JSON.parse(text) as [string])[0]);
    },
  };
}

// The port through which the core reads a repository at one revision. Hosts implement it:
// the CLI with `git`, the App with batched GraphQL queries.

import { isUtf8 } from "node:buffer";

export type FileBlob =
  | {
      kind: "text";
      text: string;
      size: number;
      /**
       * The file's UTF-8 bytes, when it was read as bytes (a UTF-8 BOM included): a large file
       * (a golden set) is parsed from them line by line, and its text is then never decoded whole.
       */
      bytes?: Uint8Array;
    }
  | {
      kind: "binary";
      size: number;
      /** Where the first byte that is not UTF-8 sits, when that (not a NUL byte) made it binary. */
      invalidUtf8?: { line: number; column: number };
    }
  | { kind: "too-large"; size: number }
  | { kind: "missing" }
  /** A symbolic link leading out of the repository (to `target`): refused, never read. */
  | { kind: "outside"; target: string };

/** Why a file that is not text could not be used, for diagnostics. */
export function unreadableReason(blob: Exclude<FileBlob, { kind: "text" }>): string {
  switch (blob.kind) {
    case "binary":
      return "is binary, not text";
    case "too-large":
      return `is too large to read (${blob.size} bytes)`;
    case "missing":
      return "could not be read";
    case "outside":
      return `is a symbolic link to ${blob.target}, outside the repository; it was not read`;
  }
}

export interface TreeReader {
  /** The revision this reader reads (a commit SHA, or a label such as `working tree`). */
  readonly ref: string;
  /** Every file path in the revision (repository-relative, `/`-separated). */
  list(): Promise<string[]>;
  /** Reads many files at once; every requested path is present in the result. */
  read(paths: readonly string[], options?: ReadOptions): Promise<Map<string, FileBlob>>;
  /**
   * Reads one file as a stream of byte chunks, so a large file (a JSON Lines golden set) is parsed
   * as it arrives and never held whole. Optional: without it such a file is `read`. The file's size
   * is checked against `maxBytes` before it is opened; the chunks are not checked for UTF-8. A
   * chunk may be overwritten once the next one is asked for: a reader keeps copies, not chunks.
   */
  stream?(path: string, options?: ReadOptions): Promise<FileStream>;
}

/** An opened file's chunks, or why it was not opened (as `read` would say it). */
export type FileStream = { kind: "stream"; size: number; chunks: AsyncIterable<Uint8Array> } | Exclude<FileBlob, { kind: "text" | "binary" }>;

export interface ReadOptions {
  /** Files larger than this are `too-large` (default MAX_FILE_BYTES; golden sets use `golden.maxBytes`). */
  maxBytes?: number;
}

/** Files larger than this are not parsed (prompt files are small; a 5 MB file is a mistake). */
export const MAX_FILE_BYTES = 1024 * 1024;

/** `1.5 MiB`, `12 KiB`, `900 bytes`: sizes in messages about files. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1).replace(/\.0$/, "")} KiB`;
  return `${bytes} bytes`;
}

/**
 * Turns raw bytes into a FileBlob: binary when it contains a NUL byte or is not valid
 * UTF-8, too-large past `MAX_FILE_BYTES`. A UTF-8 BOM is removed.
 */
export function blobFromBytes(bytes: Uint8Array, maxBytes = MAX_FILE_BYTES): FileBlob {
  if (bytes.byteLength > maxBytes) return { kind: "too-large", size: bytes.byteLength };
  if (bytes.includes(0)) return { kind: "binary", size: bytes.byteLength };
  // Checked without decoding: the text is made on first use, and a reader of `bytes` never makes it.
  if (!isUtf8(bytes)) {
    const at = firstInvalidUtf8(bytes);
    return { kind: "binary", size: bytes.byteLength, ...(at ? { invalidUtf8: at } : {}) };
  }
  let text: string | undefined;
  const blob: FileBlob = {
    kind: "text",
    size: bytes.byteLength,
    get text() {
      if (text === undefined) {
        text = new TextDecoder("utf-8").decode(bytes);
        if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      }
      return text;
    },
  };
  // Not enumerable: a copy, a comparison or a JSON of the blob is about its text, as before.
  return Object.defineProperty(blob, "bytes", { value: bytes, enumerable: false });
}

/**
 * Line and column (in characters) of the first byte sequence that is not UTF-8, so the error
 * points at the bad bytes instead of line 1.
 */
export function firstInvalidUtf8(bytes: Uint8Array): { line: number; column: number } | undefined {
  let line = 1;
  let column = 1;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return { line, column };
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return { line, column };
    // Overlong, surrogate and out-of-range forms of 3- and 4-byte sequences.
    const second = bytes[i + 1]!;
    if ((b === 0xe0 && second < 0xa0) || (b === 0xed && second > 0x9f) || (b === 0xf0 && second < 0x90) || (b === 0xf4 && second > 0x8f)) {
      return { line, column };
    }
    if (b === 0x0a) {
      line++;
      column = 1;
    } else column++;
    i += length;
  }
  return undefined;
}

/** A TreeReader over an in-memory map of path -> text; used by tests and by the demo. */
export function memoryTree(files: Record<string, string>, ref = "memory"): TreeReader {
  return {
    ref,
    async list() {
      return Object.keys(files).sort();
    },
    async read(paths, options = {}) {
      const out = new Map<string, FileBlob>();
      for (const p of paths) {
        const text = files[p];
        out.set(p, text === undefined ? { kind: "missing" } : blobFromBytes(new TextEncoder().encode(text), options.maxBytes));
      }
      return out;
    },
  };
}

/** A path changed between two revisions (from a PR's file list or `git diff --name-status`). */
export interface ChangedPath {
  path: string;
  status: "added" | "removed" | "modified" | "renamed";
  /** For renames: the path on the base. */
  previousPath?: string;
}

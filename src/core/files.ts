// The port through which the core reads a repository at one revision. Hosts implement it:
// the CLI with `git`, the App with batched GraphQL queries.

export type FileBlob =
  | { kind: "text"; text: string; size: number }
  /** `invalidUtf8`: where the first byte that is not UTF-8 sits, when the file is otherwise text. */
  | { kind: "binary"; size: number; invalidUtf8?: { line: number; column: number } }
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
  read(paths: readonly string[]): Promise<Map<string, FileBlob>>;
}

/** Files larger than this are not parsed (prompt files are small; a 5 MB file is a mistake). */
export const MAX_FILE_BYTES = 1024 * 1024;

/**
 * Turns raw bytes into a FileBlob: binary when it contains a NUL byte or is not valid
 * UTF-8, too-large past `MAX_FILE_BYTES`. A UTF-8 BOM is removed.
 */
export function blobFromBytes(bytes: Uint8Array, maxBytes = MAX_FILE_BYTES): FileBlob {
  if (bytes.byteLength > maxBytes) return { kind: "too-large", size: bytes.byteLength };
  if (bytes.includes(0)) return { kind: "binary", size: bytes.byteLength };
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return { kind: "binary", size: bytes.byteLength, invalidUtf8: positionOf(bytes, firstInvalidUtf8(bytes)) };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { kind: "text", text, size: bytes.byteLength };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i];
    // Lead byte: sequence length and the allowed range of the second byte (no overlongs,
    // no surrogates, nothing past U+10FFFF), per the Unicode standard's table 3-7.
    let length = 1;
    let lo = 0x80;
    let hi = 0xbf;
    if (b < 0x80) length = 1;
    else if (b >= 0xc2 && b <= 0xdf) length = 2;
    else if (b >= 0xe0 && b <= 0xef) {
      length = 3;
      if (b === 0xe0) lo = 0xa0;
      if (b === 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      length = 4;
      if (b === 0xf0) lo = 0x90;
      if (b === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += length;
  }
  return i;
}

/** 1-based line and column (in characters) of a byte offset. */
function positionOf(bytes: Uint8Array, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: new TextDecoder("utf-8").decode(bytes.subarray(lineStart, offset)).length + 1 };
}

/** A TreeReader over an in-memory map of path -> text; used by tests and by the demo. */
export function memoryTree(files: Record<string, string>, ref = "memory"): TreeReader {
  return {
    ref,
    async list() {
      return Object.keys(files).sort();
    },
    async read(paths) {
      const out = new Map<string, FileBlob>();
      for (const p of paths) {
        const text = files[p];
        out.set(p, text === undefined ? { kind: "missing" } : blobFromBytes(new TextEncoder().encode(text)));
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

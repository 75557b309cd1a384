// The CLI's TreeReaders: a git revision (`git ls-tree`, `git cat-file --batch`) or the working
// tree on disk, and the paths changed between two revisions.

import { execFile, spawn } from "node:child_process";
import { access, open, readdir, readFile, realpath, stat, type FileHandle } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import pLimit from "p-limit";
import { blobFromBytes, MAX_FILE_BYTES, type ChangedPath, type FileBlob, type TreeReader } from "../core/files.js";
import { UsageError } from "./io.js";

const MAX_OUTPUT = 512 * 1024 * 1024;

/** Runs git in `cwd` and returns its stdout; failures become one-line UsageErrors. */
export function git(cwd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile("git", args, { cwd, maxBuffer: MAX_OUTPUT, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error) reject(gitError(cwd, args, error, stderr));
      else resolve(stdout);
    });
  });
}

function gitError(cwd: string, args: string[], error: Error & { code?: unknown }, stderr: string): Error {
  if (error.code === "ENOENT") return new UsageError("git is not installed or not on PATH");
  const detail = stderr.split("\n").find((l) => l.trim() !== "")?.replace(/^(fatal|error): /, "") ?? error.message;
  if (/not a git repository/i.test(detail)) return new UsageError(`not a git repository: ${cwd}`);
  return new UsageError(`git ${args[0]} failed: ${detail}`);
}

/** The commit SHA a ref names; a clear error for a ref that does not exist. */
export async function resolveRef(cwd: string, ref: string): Promise<string> {
  if (ref.startsWith("-")) throw new UsageError(`invalid git revision "${ref}"`);
  try {
    return (await git(cwd, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${ref}^{commit}`])).trim();
  } catch (e) {
    if (e instanceof UsageError && /not a git repository|not installed/.test(e.message)) throw e;
    throw new UsageError(`unknown git revision "${ref}"`);
  }
}

export async function isGitRepo(cwd: string): Promise<boolean> {
  try {
    return (await git(cwd, ["rev-parse", "--is-inside-work-tree"])).trim() === "true";
  } catch {
    return false;
  }
}

/** The top folder of the git work tree containing `cwd`, or undefined outside a repository. */
export async function repoRoot(cwd: string): Promise<string | undefined> {
  try {
    return (await git(cwd, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    return undefined;
  }
}

/**
 * The folder PromptOps treats as the root (config, partials and golden paths are relative to it):
 * the nearest folder from `start` upwards that has `.github/promptops.yml`, not above the git
 * work tree; else the work tree's top; else `start`.
 */
export async function findProjectRoot(start: string): Promise<string> {
  const top = await repoRoot(start);
  let dir = await realpath(resolve(start));
  for (;;) {
    if (await exists(join(dir, ".github", "promptops.yml"))) return dir;
    const parent = dirname(dir);
    if (parent === dir || (top !== undefined && dir === (await realpath(top)))) break;
    dir = parent;
  }
  return top !== undefined ? realpath(top) : realpath(resolve(start));
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Reads files at a git revision; `read` runs one `git cat-file --batch` for all paths. */
export function gitTree(cwd: string, ref: string): TreeReader {
  return {
    ref,
    async list() {
      await resolveRef(cwd, ref);
      const out = await git(cwd, ["ls-tree", "-r", "-z", "--full-tree", "--end-of-options", ref]);
      const paths: string[] = [];
      for (const entry of out.split("\0")) {
        // `<mode> <type> <sha>\t<path>`; submodules (commit) and symlinks are not files to read.
        const tab = entry.indexOf("\t");
        if (tab < 0) continue;
        const [mode, type] = entry.slice(0, tab).split(" ");
        if (type === "blob" && mode !== "120000") paths.push(entry.slice(tab + 1));
      }
      return paths.sort();
    },
    async read(paths, options = {}) {
      const result = new Map<string, FileBlob>();
      const asked = paths.filter((p) => !p.includes("\n") && p !== "");
      for (const p of paths) result.set(p, { kind: "missing" });
      if (asked.length === 0) return result;
      const output = await catFileBatch(cwd, asked.map((p) => `${ref}:${p}`), options.maxBytes);
      asked.forEach((p, i) => {
        const obj = output[i];
        if (obj) result.set(p, obj);
      });
      return result;
    },
    async stream(path, options = {}) {
      if (path.includes("\n") || path === "") return { kind: "missing" };
      if (ref.startsWith("-")) return { kind: "missing" };
      const object = `${ref}:${path}`;
      let size: number;
      try {
        // Type and size first, so a blob over the limit is never read.
        const [type, bytes] = await Promise.all([git(cwd, ["cat-file", "-t", object]), git(cwd, ["cat-file", "-s", object])]);
        if (type.trim() !== "blob") return { kind: "missing" };
        size = Number(bytes.trim());
      } catch {
        return { kind: "missing" };
      }
      if (size > (options.maxBytes ?? MAX_FILE_BYTES)) return { kind: "too-large", size };
      return { kind: "stream", size, chunks: blobChunks(cwd, object) };
    },
  };
}

/** A blob's bytes as `git cat-file blob` writes them; a git that fails part-way throws, never ends the file short. */
async function* blobChunks(cwd: string, object: string): AsyncGenerator<Uint8Array> {
  const child = spawn("git", ["cat-file", "blob", object], { cwd, stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on("error", (e) => reject(gitError(cwd, ["cat-file"], e, stderr)));
    child.on("close", resolve);
  });
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    finished = true;
    const code = await closed;
    if (code !== 0) throw gitError(cwd, ["cat-file"], new Error(`exit code ${code}`), stderr);
  } finally {
    // A reader that stopped early (a file found not to be text) ends git too.
    if (!finished) child.kill();
    closed.catch(() => undefined);
  }
}

/** One `git cat-file --batch` process for many objects; returns a blob per request, in order. */
function catFileBatch(cwd: string, objects: string[], maxBytes?: number): Promise<(FileBlob | undefined)[]> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", ["cat-file", "--batch"], { cwd, stdio: ["pipe", "pipe", "pipe"] });
    const chunks: Buffer[] = [];
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => chunks.push(c));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", (e) => reject(gitError(cwd, ["cat-file"], e, stderr)));
    child.on("close", (code) => {
      if (code !== 0) return reject(gitError(cwd, ["cat-file"], new Error(`exit code ${code}`), stderr));
      try {
        resolve(parseBatch(Buffer.concat(chunks), objects.length, maxBytes));
      } catch (e) {
        reject(e);
      }
    });
    child.stdin.on("error", () => undefined); // a failing git closes stdin early; "close" reports it
    child.stdin.end(objects.map((o) => `${o}\n`).join(""));
  });
}

function parseBatch(buf: Buffer, count: number, maxBytes?: number): (FileBlob | undefined)[] {
  const blobs: (FileBlob | undefined)[] = [];
  let pos = 0;
  for (let i = 0; i < count && pos < buf.length; i++) {
    const eol = buf.indexOf(0x0a, pos);
    if (eol < 0) break;
    const header = buf.subarray(pos, eol).toString("utf8");
    pos = eol + 1;
    // `<sha> <type> <size>` or `<name> missing` / `<name> ambiguous`
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      blobs.push({ kind: "missing" });
      continue;
    }
    const size = Number(m[2]);
    const content = buf.subarray(pos, pos + size);
    pos += size + 1; // content is followed by a newline
    blobs.push(m[1] === "blob" ? blobFromBytes(content, maxBytes) : { kind: "missing" });
  }
  return blobs;
}

/**
 * Where `path` really is when that is outside `root` (symbolic links resolved), else undefined.
 * A clone is untrusted input: a link `golden.jsonl -> ~/.aws/credentials` must not get that
 * file sent to a model and printed in a report. Throws ENOENT for a missing file or a dangling link.
 */
export async function outsideRoot(root: string | Promise<string>, path: string): Promise<string | undefined> {
  const [realRoot, real] = await Promise.all([typeof root === "string" ? realpath(root) : root, realpath(path)]);
  const rel = relative(realRoot, real);
  const inside = rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
  return inside ? undefined : real;
}

/**
 * The files under `cwd` as they are on disk: git's tracked and untracked-but-not-ignored files
 * inside a repository, else every file below `cwd` (without `.git` and `node_modules`). A file
 * that is (or sits in a folder that is) a symbolic link out of `cwd` is read as `outside`.
 */
export function workingTree(cwd: string): TreeReader {
  return {
    ref: "working tree",
    async list() {
      if (await isGitRepo(cwd)) {
        const [all, deleted] = await Promise.all([
          git(cwd, ["ls-files", "-co", "--exclude-standard", "-z"]),
          git(cwd, ["ls-files", "-d", "-z"]),
        ]);
        const gone = new Set(deleted.split("\0"));
        return [...new Set(all.split("\0"))].filter((p) => p !== "" && !gone.has(p)).sort();
      }
      return (await walk(cwd, "")).sort();
    },
    async read(paths, options = {}) {
      const limit = pLimit(32);
      const realRoot = realpath(cwd);
      realRoot.catch(() => undefined); // a vanished root shows as missing files below
      const entries = await Promise.all(
        paths.map((p) =>
          limit(async (): Promise<[string, FileBlob]> => {
            try {
              const target = await outsideRoot(realRoot, join(cwd, p));
              if (target !== undefined) return [p, { kind: "outside", target }];
              return [p, blobFromBytes(await readFile(join(cwd, p)), options.maxBytes)];
            } catch {
              return [p, { kind: "missing" }];
            }
          }),
        ),
      );
      return new Map(entries);
    },
    async stream(path, options = {}) {
      try {
        const target = await outsideRoot(realpath(cwd), join(cwd, path));
        if (target !== undefined) return { kind: "outside", target };
        const { size } = await stat(join(cwd, path));
        if (size > (options.maxBytes ?? MAX_FILE_BYTES)) return { kind: "too-large", size };
        // Opened before it is returned, so a file that vanished now reads as missing, like `read`.
        const file = await open(join(cwd, path));
        return { kind: "stream", size, chunks: readChunks(file) };
      } catch {
        return { kind: "missing" };
      }
    },
  };
}

/**
 * A file's bytes in chunks read into one reused buffer: each chunk is valid until the next is
 * asked for (the golden parser copies what it keeps). A read stream would allocate a new buffer
 * per chunk, garbage outside the heap that V8 lets pile up to tens of megabytes.
 */
async function* readChunks(file: FileHandle, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  const buffer = Buffer.allocUnsafe(size);
  try {
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, size, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}

async function walk(root: string, rel: string): Promise<string[]> {
  const entries = await readdir(join(root, rel), { withFileTypes: true });
  const out: string[] = [];
  for (const e of entries) {
    const path = rel === "" ? e.name : `${rel}/${e.name}`;
    if (e.isDirectory()) {
      if (e.name !== ".git" && e.name !== "node_modules") out.push(...(await walk(root, path)));
    } else if (e.isFile()) out.push(path);
  }
  return out;
}

/** `git diff --name-status -M` between two revisions, as ChangedPaths. */
export async function changedPaths(cwd: string, base: string, head: string): Promise<ChangedPath[]> {
  const [b, h] = await Promise.all([resolveRef(cwd, base), resolveRef(cwd, head)]);
  const out = await git(cwd, ["diff", "--name-status", "-M", "-z", "--no-ext-diff", b, h, "--"]);
  const fields = out.split("\0");
  const changes: ChangedPath[] = [];
  for (let i = 0; i < fields.length; ) {
    const status = fields[i++] ?? "";
    if (status === "") continue;
    const kind = status[0];
    if (kind === "R" || kind === "C") {
      const from = fields[i++]!;
      const to = fields[i++]!;
      changes.push(kind === "R" ? { path: to, status: "renamed", previousPath: from } : { path: to, status: "added" });
    } else {
      const path = fields[i++]!;
      changes.push({ path, status: kind === "A" ? "added" : kind === "D" ? "removed" : "modified" });
    }
  }
  return changes;
}

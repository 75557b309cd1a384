// A pull request's file list, as GitHub reports it, turned into the core's ChangedPath.

import type { ChangedPath } from "../core/files.js";
import type { ChangedFile } from "../github/port.js";

/**
 * `copied` is a new file at `path`; `changed` (mode or type only) counts as modified, since the
 * file at `path` may read differently; `unchanged` is dropped. A status GitHub adds later is
 * read as modified, so a prompt change is never silently skipped.
 */
export function toChangedPaths(files: readonly ChangedFile[]): ChangedPath[] {
  const out: ChangedPath[] = [];
  for (const file of files) {
    switch (file.status) {
      case "added":
      case "copied":
        out.push({ path: file.path, status: "added" });
        break;
      case "removed":
        out.push({ path: file.path, status: "removed" });
        break;
      case "renamed":
        out.push(
          file.previousPath !== undefined && file.previousPath !== file.path
            ? { path: file.path, status: "renamed", previousPath: file.previousPath }
            : { path: file.path, status: "modified" },
        );
        break;
      case "modified":
      case "changed":
        out.push({ path: file.path, status: "modified" });
        break;
      case "unchanged":
        break;
      default:
        out.push({ path: file.path, status: "modified" });
    }
  }
  return out;
}

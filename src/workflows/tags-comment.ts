// The one comment a merged pull request gets about its prompt versions: what was tagged, and
// each prompt that was not, with the reason. It holds no timestamp, so a re-delivered webhook
// renders the same text and the comment is left as it is.

import { escapeInline, inlineCode } from "../core/report/escape.js";
import { plural } from "../core/report/format.js";

export const TAGS_MARKER = "<!-- promptops:tags -->";

export interface TaggedVersion {
  promptId: string;
  path: string;
  version: string;
  tag: string;
}

export interface UntaggedPrompt {
  promptId: string;
  path: string;
  reason: string;
}

export interface TagsCommentInput {
  tagged: readonly TaggedVersion[];
  notTagged: readonly UntaggedPrompt[];
  mergeCommitSha: string;
  /** `https://github.com/owner/repo`, for links to the tags; no links without it. */
  repoUrl?: string;
  /** Said once, above the lists (a truncated file list, a broken config). */
  notes?: readonly string[];
}

export function renderTagsComment(input: TagsCommentInput): string {
  const { tagged, notTagged } = input;
  const total = tagged.length + notTagged.length;
  const heading =
    notTagged.length === 0
      ? `### 🏷️ PromptOps tagged ${plural(tagged.length, "prompt version")}`
      : `### 🏷️ PromptOps: ${notTagged.length} of ${plural(total, "changed prompt")} not tagged`;
  const parts = [TAGS_MARKER, heading];
  if (input.notes && input.notes.length > 0) parts.push(input.notes.map((n) => `> ${escapeInline(n, { maxLength: 500 })}`).join("\n>\n"));
  if (tagged.length > 0) {
    const lines = tagged.map((t) => `- ${inlineCode(t.promptId, { maxLength: 200 })} ${escapeInline(`v${t.version}`)} → ${tagLink(t.tag, input.repoUrl)}`);
    parts.push(`Annotated tags on the merge commit ${inlineCode(input.mergeCommitSha.slice(0, 12))}, each carrying an audit record:\n\n${lines.join("\n")}`);
  }
  if (notTagged.length > 0) {
    const lines = notTagged.map(
      (p) => `- ${inlineCode(p.promptId, { maxLength: 200 })} (${inlineCode(p.path, { maxLength: 200 })}): ${escapeInline(p.reason, { maxLength: 500 })}`,
    );
    parts.push(`Not tagged:\n\n${lines.join("\n")}`);
  }
  return `${parts.join("\n\n")}\n`;
}

function tagLink(tag: string, repoUrl: string | undefined): string {
  const code = inlineCode(tag, { maxLength: 250 });
  if (!repoUrl) return code;
  const path = tag.split("/").map(encodeURIComponent).join("/");
  return `[${code}](${repoUrl}/tree/${path})`;
}

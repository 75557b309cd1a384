// Every report rendered from one ReviewResult: sticky comment, check run, JSON, JUnit, diffs.

export { COMMENT_MARKER, renderComment, renderNoLongerChangesComment, type CommentOptions } from "./markdown.js";
export { renderCheckRun, type Annotation, type CheckRunOptions, type CheckRunOutput } from "./check-run.js";
export { renderJson, renderJsonChunks, toReviewJson, REVIEW_JSON_SCHEMA, type ReviewJson } from "./json.js";
export { renderJUnit } from "./junit.js";
export { readRecord, renderRecord, reviewRecord, type PromptRecord, type ReviewRecord } from "./record.js";
export { unifiedDiff, messageDiffs, type FieldChange, type MessageDiff, type PromptDiff } from "./diff.js";
export { COMMENT_LIMIT, CHECK_TEXT_LIMIT, fitMarkdown, markdownBalance, type MarkdownSection, type Omitted } from "./truncate.js";
export { codeBlock, escapeHtml, escapeHtmlInline, escapeInline, inlineCode, plainText } from "./escape.js";
export { formatDelta, formatMs, formatMsDelta, formatScore, formatScoreDelta, formatUsd, formatUsdDelta } from "./format.js";

// `promptops/runtime`: how a service loads the prompt version its environment pins, and
// reports what it runs. A prompt comes from its version's tag when the repository's history is
// there, else from the file on disk, which must then be the pinned version. Every prompt
// loaded is remembered, so `deployedReport()` says exactly what this process runs: drift then
// has a real signal. Depends on the prompt model and git only (no evaluation, no GitHub).

import { readConfig } from "../core/config/load.js";
import { formatDiagnostic } from "../core/diagnostics.js";
import type { DeployedReport } from "../core/environments/deployed.js";
import { readEnvironments } from "../core/environments/load.js";
import { resolvePins } from "../core/environments/resolve.js";
import type { TreeReader } from "../core/files.js";
import type { Prompt } from "../core/prompts/model.js";
import { renderMessages } from "../core/prompts/render.js";
import type { ChatMessage } from "../core/providers/port.js";
import { contentFingerprint } from "../core/versions/fingerprint.js";
import { loadWorkspace } from "../core/workspace/workspace.js";
import { localTags } from "../cli/commands/versions.js";
import { gitTree, isGitRepo, workingTree } from "../cli/git.js";

export type { DeployedReport } from "../core/environments/deployed.js";
export type { ChatMessage } from "../core/providers/port.js";

export interface LoadPromptOptions {
  /** The environment whose pin is loaded (e.g. `production`). */
  environment: string;
  /** The repository (or its deployed copy) holding the pins file and prompts; default: the current folder. */
  root?: string;
  /** Values for the template's variables; `messages` is rendered with them. */
  variables?: Record<string, unknown>;
}

export interface LoadedPrompt {
  id: string;
  version: string;
  environment: string;
  /** The prompt file's path in the repository. */
  path: string;
  /** Content fingerprint: the hash the version's tag records. */
  sha256: string;
  /** Where the content came from: the version's tag, or the file on disk (checked to be the pinned version). */
  source: "tag" | "file";
  model?: string;
  parameters: Record<string, unknown>;
  /** The messages rendered with `options.variables`. */
  messages: ChatMessage[];
  /** Renders the messages with other variables. */
  render(variables: Record<string, unknown>): ChatMessage[];
}

export class PromptLoadError extends Error {
  override readonly name = "PromptLoadError";
}

interface Loaded {
  prompt: Prompt;
  partials: ReadonlyMap<string, string>;
  version: string;
  sha256: string;
  source: "tag" | "file";
}

const cache = new Map<string, Promise<Loaded>>();
/** environment -> prompt id -> what this process loaded. */
const running = new Map<string, Map<string, { version: string; sha256: string }>>();

export async function loadPrompt(id: string, options: LoadPromptOptions): Promise<LoadedPrompt> {
  const root = options.root ?? process.cwd();
  const key = `${root}\0${options.environment}\0${id}`;
  let pending = cache.get(key);
  if (!pending) {
    cache.set(key, (pending = load(root, options.environment, id)));
    pending.catch(() => cache.delete(key));
  }
  const loaded = await pending;
  const byId = running.get(options.environment) ?? new Map<string, { version: string; sha256: string }>();
  byId.set(id, { version: loaded.version, sha256: loaded.sha256 });
  running.set(options.environment, byId);
  const render = (variables: Record<string, unknown>) => renderMessages(loaded.prompt, variables, loaded.partials);
  return {
    id,
    version: loaded.version,
    environment: options.environment,
    path: loaded.prompt.path,
    sha256: loaded.sha256,
    source: loaded.source,
    ...(loaded.prompt.model !== undefined && { model: loaded.prompt.model }),
    parameters: loaded.prompt.parameters,
    messages: render(options.variables ?? {}),
    render,
  };
}

/**
 * What this process runs, for a service to serve (e.g. at `/.well-known/promptops.json`) and
 * the drift check to read. `environment` may be left out when only one environment was loaded.
 */
export function deployedReport(environment?: string): DeployedReport {
  const name = environment ?? (running.size === 1 ? [...running.keys()][0] : undefined);
  if (name === undefined) {
    if (running.size === 0) return { prompts: {} };
    throw new PromptLoadError(`prompts of several environments were loaded (${[...running.keys()].join(", ")}); name one`);
  }
  const prompts: DeployedReport["prompts"] = {};
  for (const [id, p] of [...(running.get(name) ?? new Map())].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) prompts[id] = { ...p };
  return { environment: name, prompts };
}

async function load(root: string, environment: string, id: string): Promise<Loaded> {
  const tree = workingTree(root);
  const { config, diagnostics } = await readConfig(tree);
  const broken = diagnostics.find((d) => d.severity === "error");
  if (broken) throw new PromptLoadError(formatDiagnostic(broken));
  const loaded = await readEnvironments(tree, config.environments.file);
  if (loaded.diagnostics.length > 0) throw new PromptLoadError(formatDiagnostic(loaded.diagnostics[0]!));
  if (!loaded.exists) throw new PromptLoadError(`${config.environments.file} does not exist in ${root}`);
  const env = loaded.environments.environments.find((e) => e.name === environment);
  if (!env) throw new PromptLoadError(`no environment "${environment}" in ${config.environments.file}`);
  const pin = env.pins.find((p) => p.promptId === id);
  if (!pin) throw new PromptLoadError(`${environment} pins no version of prompt "${id}"`);

  if (await isGitRepo(root)) {
    const tags = await localTags(root);
    const probe = { file: loaded.environments.file, environments: [{ ...env, pins: [pin] }] };
    const [resolved] = await resolvePins(probe, { template: config.versioning.tag, tags, treeAt: (sha) => gitTree(root, sha) });
    if (resolved!.status === "tag-moved") throw new PromptLoadError(`${id} ${pin.version}: ${resolved!.detail}`);
    if (resolved!.status === "ok") {
      const found = await promptIn(gitTree(root, resolved!.commit!), config, id, resolved!.path);
      if (found) return { ...found, version: pin.version, source: "tag" };
    }
  }
  // No tag here (a deployed copy without history): the file on disk, if it is the pinned version.
  const found = await promptIn(tree, config, id);
  if (!found) throw new PromptLoadError(`prompt "${id}" is neither tagged (${pin.version}) nor in ${root}`);
  if (found.prompt.version !== pin.version) {
    throw new PromptLoadError(`${environment} pins ${id} ${pin.version}, but ${found.prompt.path} is version ${found.prompt.version ?? "(none)"} and the tag is not available`);
  }
  return { ...found, version: pin.version, source: "file" };
}

async function promptIn(tree: TreeReader, config: Awaited<ReturnType<typeof readConfig>>["config"], id: string, path?: string) {
  const ws = await loadWorkspace(tree, config, path !== undefined ? { paths: [path] } : {});
  const prompt = [...ws.prompts.values()].find((p) => p.id === id);
  if (!prompt) return undefined;
  const partials = new Map([...ws.partials].map(([name, p]) => [name, p.text]));
  return { prompt, partials, sha256: contentFingerprint(prompt) };
}

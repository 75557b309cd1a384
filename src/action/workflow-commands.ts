// The runner's workflow commands (`::name key=value::message` lines on stdout), as GitHub
// documents them: masking, annotations and log levels. Written here rather than loaded from
// `@actions/core`, whose import also loads an HTTP client for OIDC tokens the Action never asks
// for (about a fifth of the start-up budget).

export interface AnnotationProperties {
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

export type Write = (line: string) => void;

const stdout: Write = (line) => void process.stdout.write(line);

/** `%`, CR and LF in a message; `:` and `,` too in a property value. */
function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function command(name: string, message: string, properties: AnnotationProperties = {}): string {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== "")
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${name}${props ? ` ${props}` : ""}::${escapeData(message)}\n`;
}

export interface WorkflowCommands {
  /** The runner replaces `secret` with *** in everything the job prints from now on. */
  setSecret(secret: string): void;
  error(message: string, properties?: AnnotationProperties): void;
  warning(message: string, properties?: AnnotationProperties): void;
  notice(message: string, properties?: AnnotationProperties): void;
  info(message: string): void;
  /** Shown when the run has step debug logging on. */
  debug(message: string): void;
}

export function workflowCommands(write: Write = stdout): WorkflowCommands {
  return {
    setSecret: (secret) => {
      // One command per line: the runner masks each line of a multi-line secret on its own.
      for (const line of secret.split(/\r?\n/)) if (line.trim() !== "") write(command("add-mask", line));
    },
    error: (message, properties) => write(command("error", message, properties)),
    warning: (message, properties) => write(command("warning", message, properties)),
    notice: (message, properties) => write(command("notice", message, properties)),
    info: (message) => write(`${message}\n`),
    debug: (message) => write(command("debug", message)),
  };
}

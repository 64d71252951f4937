// The server's own log lines (timings, file counts, errors), filtered by the `wixUac.server.logLevel`
// setting and sent as window/logMessage, which VS Code writes to the wix-uac output channel.
// Protocol tracing is separate: the client does it, following `wixUac.trace.server`.
import { MessageType } from 'vscode-languageserver/node';

/** From quietest to most detailed; each level includes the ones before it. */
export const LOG_LEVELS = ['off', 'error', 'warning', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const DEFAULT_LOG_LEVEL: LogLevel = 'info';

/** A line is built only when it will be sent: debug lines can format whole file lists. */
export type LogMessage = string | (() => string);

/** LSP has no trace message type; trace lines go out as debug, which is the closest the client shows. */
const MESSAGE_TYPES: Record<Exclude<LogLevel, 'off'>, MessageType> = {
  error: MessageType.Error,
  warning: MessageType.Warning,
  info: MessageType.Info,
  debug: MessageType.Debug,
  trace: MessageType.Debug,
};

export interface ReadLogLevel {
  level: LogLevel;
  /** Set when the section held a value that is not a level; the level is then the default. */
  problem?: string;
}

/** Reads `server.logLevel` from the `wixUac` section as the client sends it; anything else gives the default. */
export function readLogLevel(section: unknown): ReadLogLevel {
  const server = isObject(section) ? section.server : undefined;
  const value = isObject(server) ? server.logLevel : undefined;
  if (value === undefined || value === null) return { level: DEFAULT_LOG_LEVEL };
  if (typeof value === 'string' && (LOG_LEVELS as readonly string[]).includes(value)) return { level: value as LogLevel };
  return {
    level: DEFAULT_LOG_LEVEL,
    problem: `wixUac.server.logLevel: ${JSON.stringify(value)} is not one of ${LOG_LEVELS.join('|')}; logging at ${DEFAULT_LOG_LEVEL}.`,
  };
}

export class ServerLog {
  private level: LogLevel = DEFAULT_LOG_LEVEL;

  /** `send` delivers one line to the client as window/logMessage. */
  constructor(private readonly send: (type: MessageType, message: string) => void) {}

  /**
   * Switches the level, and says so when the old or the new level shows info lines: switching off
   * is the last line, switching on the first.
   */
  setLevel(level: LogLevel): void {
    if (level === this.level) return;
    const announced = this.isEnabled('info') || LOG_LEVELS.indexOf(level) >= LOG_LEVELS.indexOf('info');
    const message = `log level ${level} (was ${this.level})`;
    this.level = level;
    if (announced) this.send(MessageType.Info, message);
  }

  /** Whether lines of this level are sent now: for work done only to be logged, such as timing. */
  isEnabled(level: Exclude<LogLevel, 'off'>): boolean {
    return LOG_LEVELS.indexOf(level) <= LOG_LEVELS.indexOf(this.level);
  }

  error(message: LogMessage, error?: unknown): void {
    this.write('error', error === undefined ? message : () => `${text(message)}: ${describeError(error)}`);
  }

  warn(message: LogMessage): void {
    this.write('warning', message);
  }

  info(message: LogMessage): void {
    this.write('info', message);
  }

  debug(message: LogMessage): void {
    this.write('debug', message);
  }

  trace(message: LogMessage): void {
    this.write('trace', message);
  }

  private write(level: Exclude<LogLevel, 'off'>, message: LogMessage): void {
    if (!this.isEnabled(level)) return;
    this.send(MESSAGE_TYPES[level], `${level === 'trace' ? '[trace] ' : ''}${text(message)}`);
  }
}

function text(message: LogMessage): string {
  return typeof message === 'function' ? message() : message;
}

function describeError(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

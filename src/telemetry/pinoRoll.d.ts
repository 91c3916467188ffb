// pino-roll ships no types; this is the part of its API the loggers use.
declare module 'pino-roll' {
  import type { EventEmitter } from 'node:events';

  interface PinoRollOptions {
    readonly file: string;
    readonly size?: string | number;
    readonly frequency?: 'daily' | 'hourly' | number;
    readonly extension?: string;
    readonly dateFormat?: string;
    readonly symlink?: boolean;
    readonly limit?: { readonly count: number; readonly removeOtherLogFiles?: boolean };
    readonly mkdir?: boolean;
    readonly sync?: boolean;
  }

  /** The sonic-boom stream pino-roll hands back. */
  interface RollingStream extends EventEmitter {
    /** The file being written now. */
    readonly file: string;
    write(data: string): boolean;
    end(): void;
  }

  /** Opens the current file of a rolling log; rejects when it cannot be created. */
  export default function build(options: PinoRollOptions): Promise<RollingStream>;
}

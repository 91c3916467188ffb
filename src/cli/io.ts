/** Where a command writes, so tests can run commands in-process and read what they print. */
export interface CliIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
  readonly isTty: boolean;
}

/** Returns the process's own stdout/stderr as a CliIo. */
export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    isTty: process.stdout.isTTY === true,
  };
}

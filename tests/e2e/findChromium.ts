import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** A Chromium to launch: its executable, the flags it needs, and where it was found. */
export interface ChromiumChoice {
  readonly executablePath: string;
  readonly args: readonly string[];
  /** `CHROMIUM_PATH`, `PATH` or `npm`, followed by the path: printed so a run says what it used. */
  readonly source: string;
}

// Flags for a system Chromium: quiet, offline, no sandbox (CI runs as root).
const SYSTEM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const NAMES = ['chromium', 'chromium-browser'];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Returns the first of NAMES found executable on PATH, or undefined. */
function onPath(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir === '') continue;
    for (const name of NAMES) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/**
 * Returns the Chromium the browser tests use: `CHROMIUM_PATH` when set, else `chromium` (or
 * `chromium-browser`) on PATH, else the one inside the `@sparticuz/chromium` package, which
 * unpacks itself into the temporary directory on first use (about 2 s) so a machine with Node
 * and nothing else can run the suite. `RATCHET_BROWSER=npm` skips straight to the package.
 * Throws when CHROMIUM_PATH names no executable.
 */
export async function findChromium(): Promise<ChromiumChoice> {
  const forceNpm = process.env.RATCHET_BROWSER === 'npm';
  const fromEnv = process.env.CHROMIUM_PATH;
  if (!forceNpm && fromEnv !== undefined && fromEnv !== '') {
    if (!executable(fromEnv))
      throw new Error(`CHROMIUM_PATH=${fromEnv} is not an executable file; unset it or fix it.`);
    return { executablePath: fromEnv, args: SYSTEM_ARGS, source: `CHROMIUM_PATH ${fromEnv}` };
  }
  const found = forceNpm ? undefined : onPath();
  if (found !== undefined)
    return { executablePath: found, args: SYSTEM_ARGS, source: `PATH ${found}` };
  const { default: packaged } = await import('@sparticuz/chromium');
  const executablePath = await packaged.executablePath();
  return {
    executablePath,
    args: packaged.args,
    source: `npm @sparticuz/chromium ${executablePath}`,
  };
}

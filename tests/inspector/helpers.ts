import { join } from 'node:path';
import { inspectFiles } from '../../src/cli/inspect.ts';
import { serveInspector, type ServedInspector } from '../../src/inspector/serveInspector.ts';

/** The SPEC's example scenarios, used as inspector fixtures. */
export const SPEC = join(import.meta.dirname, '../../examples/spec');

/** Returns a served inspector on a free port for the named example scenarios. */
export async function serveExamples(
  names: readonly string[],
  token?: string,
): Promise<ServedInspector> {
  const positions = await inspectFiles(names.map((n) => join(SPEC, `${n}.json`)));
  return serveInspector({ positions, port: 0, token });
}

/** Returns the base URL (no trailing slash, no token) of a served inspector. */
export function baseUrl(served: ServedInspector): string {
  return `http://127.0.0.1:${served.port}`;
}

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Prints the top self-time functions of a V8 `.cpuprofile` (what `node --cpu-prof` writes),
 * so docs/performance.md can say where a stage's time goes without a GUI:
 *
 *   node --import tsx bench/cpuProfileSummary.ts FILE.cpuprofile [TOP]
 */

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
  };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** Returns who owns a frame: a package under node_modules, a source folder, or V8 itself. */
function ownerOf(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : 'node internals';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1] !== undefined) return pkg[1];
  const src = /\/(src\/[^/]+|bench)\//.exec(url);
  return src?.[1] ?? 'node internals';
}

/** Returns `[owner, self microseconds]` pairs, largest first: xstate vs decimal.js vs our code. */
export function selfTimesByOwner(profile: CpuProfile): [string, number][] {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const owner = ownerOf(node.callFrame.url, node.callFrame.functionName);
    totals.set(owner, (totals.get(owner) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

/** Returns `[label, self microseconds]` pairs, largest first, summed over identical frames. */
export function selfTimes(profile: CpuProfile): [string, number][] {
  const byId = new Map<number, ProfileNode>(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (node === undefined) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const where =
      url === ''
        ? ''
        : ` ${url.includes('node_modules') ? url.slice(url.lastIndexOf('node_modules/') + 13) : basename(url)}:${lineNumber + 1}`;
    const label = `${functionName === '' ? '(anonymous)' : functionName}${where}`;
    totals.set(label, (totals.get(label) ?? 0) + (profile.timeDeltas[i] ?? 0));
  });
  return [...totals].sort((a, b) => b[1] - a[1]);
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write(
    'usage: node --import tsx bench/cpuProfileSummary.ts FILE.cpuprofile [TOP]\n',
  );
  process.exitCode = 2;
} else {
  const top = Number(process.argv[3] ?? 25);
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const print = (rows: [string, number][]): void => {
    const all = rows.reduce((sum, [, us]) => sum + us, 0);
    for (const [label, us] of rows.slice(0, top)) {
      process.stdout.write(
        `${((us / all) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${label}\n`,
      );
    }
  };
  process.stdout.write('self time by owner\n');
  print(selfTimesByOwner(profile));
  process.stdout.write('\nself time by function\n');
  print(selfTimes(profile));
}

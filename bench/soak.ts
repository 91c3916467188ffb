import { writeFileSync } from 'node:fs';
import { MAX_POSITIONS, runSoak } from './soakRun.ts';
import { passed, reportHtml, summaryText } from './soakReport.ts';
import { SOAK_VENUES } from './soakSchedule.ts';

const USAGE = `usage: npx tsx bench/soak.ts --minutes N --seed S [--venue binance|bybit] [--positions P] [--json FILE] [--report FILE.html]`;

function fail(message: string): never {
  process.stderr.write(`soak: ${message}\n${USAGE}\n`);
  process.exit(2);
}

function parse(argv: readonly string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i] ?? '';
    const value = argv[i + 1];
    if (!['--minutes', '--seed', '--venue', '--positions', '--json', '--report'].includes(key))
      fail(
        `"${key}" is not an option; the options are --minutes, --seed, --venue, --positions, --json and --report.`,
      );
    if (value === undefined) fail(`${key} needs a value.`);
    args.set(key, value);
  }
  return args;
}

const args = parse(process.argv.slice(2));
const minutes = Number(args.get('--minutes') ?? '1');
const seed = Number(args.get('--seed') ?? '1');
const positions = Number(args.get('--positions') ?? '3');
const venueText = args.get('--venue') ?? 'binance';
const venue = SOAK_VENUES.find((v) => v === venueText);
if (venue === undefined)
  fail(
    `--venue must be binance (the engine trades through Binance USDⓈ-M's wire format) or bybit (Bybit v5's), not "${venueText}".`,
  );
if (!(minutes > 0))
  fail(`--minutes must be a positive number such as 1 or 0.5, not "${args.get('--minutes')}".`);
if (!Number.isInteger(seed))
  fail(`--seed must be an integer such as 42, not "${args.get('--seed')}".`);
if (!Number.isInteger(positions) || positions < 1 || positions > MAX_POSITIONS)
  fail(
    `--positions must be an integer from 1 to ${MAX_POSITIONS}, not "${args.get('--positions')}".`,
  );

const tty = process.stderr.isTTY;
let lastShown = -1;
const report = await runSoak({
  seed,
  venue,
  durationMs: minutes * 60_000,
  positions,
  log: (line) => process.stderr.write(`${tty ? '\r\x1b[K' : ''}${line}\n`),
  onProgress: ({ atMs, durationMs, line }) => {
    const share = Math.min(1, atMs / durationMs);
    const bar = '#'.repeat(Math.round(share * 30)).padEnd(30, '.');
    const text = `[${bar}] ${Math.round(share * 100)}% ${line}`;
    if (tty) process.stderr.write(`\r\x1b[K${text}`);
    else if (Math.floor(share * 10) > lastShown) {
      lastShown = Math.floor(share * 10);
      process.stderr.write(`${text}\n`);
    }
  },
});
if (tty) process.stderr.write('\n');
process.stdout.write(`${summaryText(report)}\n`);
const json = args.get('--json');
if (json !== undefined) writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
const html = args.get('--report');
if (html !== undefined) writeFileSync(html, reportHtml(report));
process.exitCode = passed(report) ? 0 : 1;

/**
 * Regenerates docs/inspector.png, the README's first picture: a fresh paper run (`npm start`,
 * the seeded feed of examples/paper.yaml) watched in headless Chromium, the ETHUSDT short
 * (breakeven and momentum) selected once its breakeven is reached and its stop has moved on
 * the exchange a few times.
 *
 *   npx tsx bench/inspectorScreenshot.ts [--out docs/inspector.png] [--steps 150]
 *
 * Every wait ends on an event of the page or the run; a run that never gets there is a bug,
 * and Ctrl-C ends the script.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { launchChromium } from '../tests/e2e/inspectorBrowser.ts';
import { PaperRun } from '../tests/e2e/paperProcess.ts';

const { values } = parseArgs({
  options: {
    out: { type: 'string', default: join(import.meta.dirname, '../docs/inspector.png') },
    steps: { type: 'string', default: '150' },
    symbol: { type: 'string', default: 'ETHUSDT' },
  },
});
const OUT = resolve(values.out);
const STEPS = Number(values.steps);

const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-screenshot-'));
const run = new PaperRun(['--data-dir', dataDir, '--port', '0']);
const browser = await launchChromium({ width: 1680, height: 1050 });
try {
  await run.wait((l) => l.startsWith('protecting '), 'the engine to start');
  const url = /^\s+inspector\s+(http:\/\/\S+)/.exec(
    run.lines.find((l) => /^\s+inspector\s+http/.test(l)) ?? '',
  )?.[1];
  if (url === undefined) throw new Error(`no inspector URL in:\n${run.tail()}`);
  console.log(`paper run: ${url} (data in ${dataDir}); browser: ${browser.browser}`);
  browser.context.setDefaultTimeout(0);
  const page = await browser.context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  await page.click(`#position-list button[data-position-id^="binanceusdm:${values.symbol}:"]`);
  await page.waitForSelector(`body[data-position^="binanceusdm:${values.symbol}:"]`);
  // The moment worth a picture: breakeven reached, the exchange's stop moved several times.
  await page.waitForFunction(
    (steps) =>
      document.querySelector('[data-state-id="position.open.breakeven.reached"].active') !== null &&
      Number(document.querySelector<HTMLElement>('#price-chart')?.dataset.restingPoints) > 0 &&
      Number(document.body.dataset.seq) >= steps,
    STEPS,
  );
  await page.screenshot({ path: OUT });
  if (problems.length > 0) throw new Error(`the page reported errors: ${problems.join('; ')}`);
  console.log(`wrote ${OUT}`);
} finally {
  await browser.close();
  await run.interrupt();
  rmSync(dataDir, { recursive: true, force: true });
}

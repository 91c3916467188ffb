/**
 * Measures the inspector page: its bundle size (raw and gzip) and how long Chromium takes to
 * show a generated 10 000-tick position (navigation → every panel drawn), plus one step's
 * redraw. Run: `npx tsx bench/inspectorLoad.ts [ticks]`. Prints JSON, then a readable table.
 */
import { gzipSync } from 'node:zlib';
import { inspectScenario } from '../src/replay/inspectScenario.ts';
import type { Scenario, Tick } from '../src/domain/types.ts';
import { buildPageBundle } from '../src/inspector/pageBundle.ts';
import { serveInspector } from '../src/inspector/serveInspector.ts';
import { launchChromium } from '../tests/e2e/inspectorBrowser.ts';

const count = Number(process.argv[2] ?? 10_000);

/** Returns a deterministic random walk that never crosses its loose stop, so every tick is replayed. */
function walk(n: number): Tick[] {
  let seed = 42;
  const rand = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  let cents = 10_000_00;
  return Array.from({ length: n }, (_, i) => {
    cents = Math.max(9_000_00, cents + Math.round((rand() - 0.49) * 40));
    return { ts: (i + 1) * 1000, price: (cents / 100).toFixed(2) };
  });
}

const scenario: Scenario = {
  market: { tickSize: '0.01' },
  position: { side: 'long', entryPrice: '10000', quantity: '1', openedAt: 0 },
  policy: {
    initialStop: { percent: '20' },
    activation: { profitPercent: '0.5' },
    trailing: {
      percent: '15',
      momentum: {
        windowSeconds: '30',
        thresholdPercent: '0.3',
        releasePercent: '0.1',
        factor: '0.5',
      },
    },
    breakeven: { triggerPercent: '1', offsetPercent: '0' },
    elastic: { unit: 'percent', engageAt: '0.5', pullback: '0.9', floor: '0', minStep: '0.05' },
  },
  ticks: walk(count),
};

const bundle = await buildPageBundle();
const t0 = performance.now();
const position = inspectScenario('walk', `random walk, ${count} ticks`, scenario);
const replayMs = performance.now() - t0;
const served = await serveInspector({ positions: [position], port: 0 });
const historyBytes = Buffer.byteLength(JSON.stringify(served.hub.history('walk')));
const browser = await launchChromium();
try {
  const page = await browser.context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const start = performance.now();
  await page.goto(served.url);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  const loadMs = performance.now() - start;
  const stepStart = performance.now();
  await page.keyboard.press('End');
  await page.waitForFunction(
    (n) => document.body.dataset.seq === String(n),
    position.records.length - 1,
  );
  const stepMs = performance.now() - stepStart;
  const result = {
    ticks: count,
    records: position.records.length,
    bundleJsBytes: Buffer.byteLength(bundle.js),
    bundleJsGzipBytes: gzipSync(bundle.js).length,
    bundleCssBytes: Buffer.byteLength(bundle.css),
    bundleCssGzipBytes: gzipSync(bundle.css).length,
    historyJsonBytes: historyBytes,
    replayMs: Math.round(replayMs),
    pageLoadMs: Math.round(loadMs),
    jumpToEndMs: Math.round(stepMs),
    pageErrors: errors,
  };
  console.log(JSON.stringify(result));
  console.table(result);
} finally {
  await browser.close();
  await served.close();
}

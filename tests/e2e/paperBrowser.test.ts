import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HistoryResponse, PositionsResponse } from '../../src/inspector/protocol.ts';
import { launchChromium } from './inspectorBrowser.ts';
import { PaperRun } from './paperProcess.ts';

const ARTIFACTS = join(import.meta.dirname, '../../test-results');
const INSPECTOR = /^\s+inspector\s+(http:\/\/\S+)/;
const EXCHANGE = /^\s+exchange\s+(http:\/\/\S+)/;

let run: PaperRun;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
let inspector: string;
let exchange: string;
const problems: string[] = [];

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ratchet-paper-browser-'));
  console.log(`paper run data directory ${dataDir} (feed seed 8, from examples/paper.yaml)`);
  run = new PaperRun(['--data-dir', dataDir, '--port', '0']);
  await run.wait((l) => l.startsWith('protecting 3 position(s)'), 'the engine to start');
  inspector = INSPECTOR.exec(run.lines.find((l) => INSPECTOR.test(l)) ?? '')?.[1] ?? '';
  exchange = EXCHANGE.exec(run.lines.find((l) => EXCHANGE.test(l)) ?? '')?.[1] ?? '';
  browser = await launchChromium();
  console.log(`browser: ${browser.browser}`);
  // Waits end on the page's own events; a page that never gets there fails on the test timeout.
  browser.context.setDefaultTimeout(0);
  page = await browser.context.newPage();
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  await page.goto(inspector);
  await page.waitForSelector('body[data-ready="true"][data-live="true"]');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  if (run !== undefined) {
    const exit = await run.interrupt();
    expect(exit.code).toBe(0);
  }
});

/** Returns the step shown and what the position statechart highlights, read in one go. */
function highlighted(): Promise<{ seq: number; taken: string[]; active: string[] }> {
  return page.evaluate(() => ({
    seq: Number(document.body.dataset.seq),
    taken: Array.from(document.querySelectorAll('#statechart .taken'))
      .map((n) => n.getAttribute('data-transition-id') ?? '')
      .sort(),
    active: Array.from(document.querySelectorAll('#statechart .state.active'))
      .map((n) => n.getAttribute('data-state-id') ?? '')
      .sort(),
  }));
}

describe('the inspector of a paper run, in Chromium', () => {
  it('loads without console errors, with the stream live and both statecharts drawn', async () => {
    await page.waitForSelector('#stream-status.badge-live');
    expect(await page.$$eval('#sync-statechart [data-state-id]', (n) => n.length)).toBe(9);
    await page.waitForSelector('#sync-statechart .state.active');
    expect(problems).toEqual([]);
  });

  it('updates the position list without a reload', async () => {
    await page.evaluate(() => ((window as unknown as { loadedOnce: boolean }).loadedOnce = true));
    const before = await page.textContent('#position-list');
    await page.waitForFunction(
      (text) => document.querySelector('#position-list')?.textContent !== text,
      before,
    );
    expect(
      await page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce),
    ).toBe(true);
    const listed = await page.$$eval('#position-list button.position', (b) =>
      b.map((x) => x.getAttribute('data-position-id')),
    );
    expect(listed).toHaveLength(3);
  });

  it('lights up on the statechart what each new tick did', async () => {
    const id = (await page.getAttribute('body', 'data-position')) ?? '';
    const seen: Awaited<ReturnType<typeof highlighted>>[] = [await highlighted()];
    // Following live, each record that arrives is shown; wait for one whose highlight differs.
    while (seen.length < 2 || seen.every((s) => s.taken.join() === seen[0]?.taken.join())) {
      const last = seen.at(-1)?.seq ?? 0;
      await page.waitForFunction((n) => Number(document.body.dataset.seq) > n, last);
      seen.push(await highlighted());
    }
    const history = (await (
      await fetch(new URL(`/api/positions/${encodeURIComponent(id)}/history`, inspector))
    ).json()) as HistoryResponse;
    for (const shown of seen) {
      const record = history.records.find((r) => r.seq === shown.seq);
      if (record === undefined) continue;
      expect(new Set(shown.taken)).toEqual(new Set(record.transitions.map((t) => t.id)));
      expect(shown.active).toEqual([...record.active].sort());
    }
  });

  it('draws the desired and the resting stop, and marks a closed position until it is dismissed', async () => {
    await page.waitForFunction(() => {
      const chart = document.querySelector<HTMLElement>('#price-chart');
      return Number(chart?.dataset.desiredPoints) > 0 && Number(chart?.dataset.restingPoints) > 0;
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'paper-inspector.png') });
    console.log(`screenshot: ${join(ARTIFACTS, 'paper-inspector.png')}`);

    // Older decisions come from the journal on demand.
    await page.click('#journal-toggle');
    await page.waitForSelector('#event-log .journal-head');
    expect(await page.textContent('#event-log .journal-head')).toMatch(/^journal: \d+ decision/);
    expect(await page.$$eval('#event-log .event-sync', (n) => n.length)).toBeGreaterThan(0);
    await page.click('#journal-toggle');
    await page.waitForSelector('#event-log .journal-head', { state: 'detached' });

    // Close the short elsewhere (as a trader would on the exchange's site): the engine ends it.
    const listed = (await (
      await fetch(new URL('/api/positions', inspector))
    ).json()) as PositionsResponse;
    const short = listed.positions.find((p) => p.side === 'short' && p.status === 'open');
    expect(short).toBeDefined();
    const closed = await fetch(new URL('/admin/positions', exchange), {
      method: 'POST',
      body: JSON.stringify({ symbol: short?.symbol, side: 'long', reduceOnly: true }),
    });
    expect(closed.status).toBe(200);
    const item = `#position-list li:has(button[data-position-id="${short?.id}"])`;
    await page.waitForSelector(`${item}[data-status="closed"] button.dismiss`);
    expect(await page.textContent(`${item} .status`)).toBe('closed');
    await page.click(`${item} button.dismiss`);
    await page.waitForSelector(item, { state: 'detached' });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.$(item)).toBeNull();
    expect(problems).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allStates, machineGraph } from '../../src/inspector/machineGraph.ts';
import type { HistoryResponse } from '../../src/inspector/protocol.ts';
import { serveInspector, type ServedInspector } from '../../src/inspector/serveInspector.ts';
import { loadScenarioFile } from '../../src/config/index.ts';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import { baseUrl, serveExamples, SPEC } from '../inspector/helpers.ts';
import { launchChromium } from './inspectorBrowser.ts';

const ARTIFACTS = join(import.meta.dirname, '../../test-results');
const SCENARIO = 'breakeven-time-activation';
const TRAILING = '[data-state-id="position.open.distance.trailing"]';

let served: ServedInspector;
let browser: Awaited<ReturnType<typeof launchChromium>>;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  served = await serveExamples([SCENARIO, 'sete-bigjump', 'short-tiers-momentum']);
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
  await page.goto(`${baseUrl(served)}/`);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await served?.close();
});

/** Returns whether the state's group carries the `active` class. */
async function isActive(selector: string): Promise<boolean> {
  return page.$eval(selector, (node) => node.classList.contains('active'));
}

async function currentSeq(): Promise<number> {
  return Number(await page.getAttribute('body', 'data-seq'));
}

describe('inspector page in Chromium', () => {
  it('loads with no console errors and a live stream', async () => {
    await page.waitForSelector('#stream-status.badge-live');
    expect(await page.textContent('#stream-status')).toBe('stream connected');
    expect(problems).toEqual([]);
  });

  it('draws every state of the machine, by name', async () => {
    const drawn = await page.$$eval('#statechart [data-state-id]', (nodes) =>
      nodes.map((n) => n.getAttribute('data-state-id')),
    );
    const names = await page.$$eval('#statechart .state-name', (nodes) =>
      nodes.map((n) => n.textContent),
    );
    for (const state of allStates(machineGraph(positionMachine))) {
      expect(drawn).toContain(state.id);
      expect(names).toContain(state.key);
    }
  });

  it('lists the positions and selects one on click', async () => {
    expect(
      await page.$$eval('#position-list button', (b) =>
        b.map((x) => x.getAttribute('data-position-id')),
      ),
    ).toEqual([SCENARIO, 'sete-bigjump', 'short-tiers-momentum']);
    await page.click(`button[data-position-id="${SCENARIO}"]`);
    await page.waitForSelector(`body[data-position="${SCENARIO}"]`);
  });

  it('highlights trailing on the activation step and un-highlights it one step back', async () => {
    const history = (await (
      await fetch(`${baseUrl(served)}/api/positions/${SCENARIO}/history`)
    ).json()) as HistoryResponse;
    const activation = history.records.find((r) => r.events.some((e) => e.type === 'activated'));
    expect(activation?.seq).toBeGreaterThan(0);
    const target = activation?.seq ?? 0;

    await page.keyboard.press('Home');
    expect(await currentSeq()).toBe(0);
    expect(await isActive(TRAILING)).toBe(false);
    for (let i = 0; i < target; i++) await page.keyboard.press('ArrowRight');
    expect(await currentSeq()).toBe(target);
    expect(await isActive(TRAILING)).toBe(true);
    expect(await isActive('[data-state-id="position.open.distance.armed"]')).toBe(false);
    // The arrow armed → trailing is the transition taken on this step.
    expect(
      await page.$eval('[data-transition-id="position.open.distance.armed:tick.activate:0"]', (n) =>
        n.classList.contains('taken'),
      ),
    ).toBe(true);
    expect(await page.textContent('#event-log')).toContain('activated');
    expect(await page.textContent('#context')).toContain('trailing');

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'inspector.png') });

    await page.click('#step-back');
    expect(await currentSeq()).toBe(target - 1);
    expect(await isActive(TRAILING)).toBe(false);
    expect(await isActive('[data-state-id="position.open.distance.armed"]')).toBe(true);
  });

  it('moves every panel with the slider', async () => {
    const last = (await page.getAttribute('#timeline-slider', 'max')) ?? '0';
    await page.$eval(
      '#timeline-slider',
      (el, v) => {
        (el as HTMLInputElement).value = v;
        el.dispatchEvent(new Event('input'));
      },
      last,
    );
    expect(await currentSeq()).toBe(Number(last));
    expect(await isActive('[data-state-id="position.exited"]')).toBe(true);
    expect(await page.textContent('#timeline-readout')).toContain('exited');
    expect(problems).toEqual([]);
  });
});

describe('inspector page over a history the server trimmed', () => {
  it('travels over the records held, follows new ones and lets a dropped position go', async () => {
    const live = await serveInspector({
      positions: [],
      port: 0,
      retention: { recordsPerPosition: 4 },
    });
    const replayed = inspectScenario(
      'live',
      'live',
      await loadScenarioFile(`${SPEC}/sete-bigjump.json`),
    );
    live.hub.open(replayed.info);
    for (const record of replayed.records) live.hub.record('live', record);
    expect(live.hub.history('live')?.position.firstSeq).toBe(1);

    const second = await browser.context.newPage();
    const errors: string[] = [];
    second.on('pageerror', (e) => errors.push(e.message));
    second.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    try {
      await second.goto(`${baseUrl(live)}/`);
      await second.waitForSelector('body[data-ready="true"][data-position="live"]');
      const seq = async (): Promise<number> =>
        Number(await second.getAttribute('body', 'data-seq'));
      expect(await second.getAttribute('#timeline-slider', 'min')).toBe('1');
      await second.keyboard.press('Home');
      expect(await seq()).toBe(1);
      await second.click('#step-back');
      expect(await seq()).toBe(1);
      await second.keyboard.press('End');
      expect(await seq()).toBe(4);
      expect(await second.textContent('#timeline-readout')).toContain('step 4 / 4');

      // On the last step, the page follows a new record and keeps only as many as the server.
      live.hub.record('live', { ...replayed.records[4]!, seq: 5 });
      await second.waitForSelector('body[data-seq="5"]');
      await second.keyboard.press('Home');
      expect(await seq()).toBe(2);
      expect(
        await second.$$eval('#event-log .step', (n) => n.map((x) => x.textContent)),
      ).not.toContain('#1');

      live.hub.drop('live');
      await second.waitForSelector('#position-list button', { state: 'detached' });
      expect(errors).toEqual([]);
    } finally {
      await second.close();
      await live.close();
    }
  });
});

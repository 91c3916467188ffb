import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { findChromium } from './findChromium.ts';

/**
 * A headless Chromium with a fresh profile, a line saying which browser it is and how long it
 * took to start, and the function that closes it and deletes the profile.
 */
export async function launchChromium(
  viewport = { width: 1680, height: 1050 },
): Promise<{ context: BrowserContext; browser: string; close: () => Promise<void> }> {
  const started = performance.now();
  const choice = await findChromium();
  const profile = mkdtempSync(join(tmpdir(), 'ratchet-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: choice.executablePath,
    headless: true,
    args: [...choice.args],
    viewport,
    // Under LANG=C Chromium reports the locale en-US@posix, which Intl (used by uPlot) rejects.
    locale: 'en-US',
  });
  const version = context.browser()?.version() ?? 'unknown version';
  const startMs = Math.round(performance.now() - started);
  return {
    context,
    browser: `${choice.source} (${version}), ready in ${startMs} ms`,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  evaluatePanels,
  formatValue,
  renderDashboardSvg,
  type Dashboard,
} from '../../bench/dashboardSvg.ts';
import type { Sample } from '../../bench/promText.ts';
import { SeriesStore } from '../../bench/promqlSubset.ts';

const dashboard = JSON.parse(
  readFileSync(join(import.meta.dirname, '../../docs/grafana-dashboard.json'), 'utf8'),
) as Dashboard;

/** Three scrapes 10 s apart of a few of the engine's metrics, 3 positions protected. */
function store(): { store: SeriesStore; times: number[] } {
  const s = new SeriesStore();
  const times = [1_800_000_000, 1_800_000_010, 1_800_000_020];
  times.forEach((t, i) => {
    const samples: Sample[] = [
      { name: 'ratchet_positions', labels: { state: 'protected' }, value: 3 },
      { name: 'ratchet_positions', labels: { state: 'unprotected' }, value: 0 },
      { name: 'ratchet_stop_moves_total', labels: { mode: 'amend' }, value: 6 * i },
      { name: 'process_resident_memory_bytes', labels: {}, value: 50 * 1024 * 1024 },
    ];
    s.add({ t, samples });
  });
  return { store: s, times };
}

describe('the dashboard drawing', () => {
  it('draws every panel of docs/grafana-dashboard.json under its own title, with no data shown as such', () => {
    const { store: s, times } = store();
    const panels = evaluatePanels(dashboard, s, times);
    const svg = renderDashboardSvg(panels, times, 'Ratchet', 'line one\nline two');
    for (const panel of dashboard.panels) expect(svg).toContain(`${panel.title}</text>`);
    const moves = panels.find((p) => p.panel.title === 'Stop moves per minute');
    // 6 moves every 10 s is 36 a minute, from the second scrape on.
    expect(moves?.series.map((x) => [x.name, x.values])).toEqual([['amend', [null, 36, 36]]]);
    expect(svg).toContain('>amend</text>');
    expect(svg).toContain('>No data</text>');
    expect(svg).toContain('>line two</text>');
    // The stat panel "Unprotected positions" shows 0 big on green.
    expect(svg).toMatch(/fill="#73BF69"[^>]*\/><text[^>]*>Unprotected positions<\/text>/);
    // 50 MiB of resident memory on an axis in round MiB.
    expect(svg).toContain('>60 MiB</text>');
    expect(svg).toContain('>resident</text>');
  });

  it('fails, naming the panel, on a query outside the subset', () => {
    const { store: s, times } = store();
    const broken: Dashboard = {
      title: 'x',
      panels: [
        {
          id: 7,
          type: 'timeseries',
          title: 'Top moves',
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          targets: [{ expr: 'topk(3, ratchet_stop_moves_total)' }],
        },
      ],
    };
    expect(() => evaluatePanels(broken, s, times)).toThrow(
      /panel 7 "Top moves": cannot evaluate .*topk\(\)/,
    );
    expect(() =>
      evaluatePanels(
        { title: 'x', panels: [{ ...broken.panels[0]!, type: 'piechart' }] },
        s,
        times,
      ),
    ).toThrow(/piechart panel/);
  });

  it('draws a dashed threshold line inside the axis range and none outside it', () => {
    const { store: s, times } = store();
    const panel = (threshold: number): Dashboard => ({
      title: 'x',
      panels: [
        {
          id: 3,
          type: 'timeseries',
          title: 'Memory',
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          targets: [{ expr: 'process_resident_memory_bytes' }],
          fieldConfig: {
            defaults: {
              unit: 'bytes',
              thresholds: {
                steps: [
                  { color: 'green', value: null },
                  { color: 'red', value: threshold },
                ],
              },
              custom: { thresholdsStyle: { mode: 'dashed' } },
            },
          },
        },
      ],
    });
    const draw = (threshold: number) =>
      renderDashboardSvg(evaluatePanels(panel(threshold), s, times), times, 'x', '');
    // 50 MiB resident on a 0–60 MiB axis: a 40 MiB alert level shows, a 1 GiB one does not.
    expect(draw(40 * 1024 * 1024)).toMatch(
      /<line [^>]*stroke="#F2495C"[^>]*stroke-dasharray="6 4"/,
    );
    expect(draw(1024 ** 3)).not.toContain('stroke-dasharray');
    const latency = dashboard.panels.find((p) => p.title === 'Decision latency');
    expect(latency?.fieldConfig?.defaults?.custom?.thresholdsStyle?.mode).toBe('dashed');
  });

  it('formats values in the panel units as Grafana does', () => {
    expect(formatValue(0.0023, 's')).toBe('2.3 ms');
    expect(formatValue(0.00045, 's')).toBe('450 µs');
    expect(formatValue(0, 's', 0)).toBe('0 s');
    expect(formatValue(51_200_000, 'bytes')).toBe('48.8 MiB');
    expect(formatValue(0.125, 'percentunit')).toBe('12.5%');
    expect(formatValue(1.5, 'reqps')).toBe('1.5 req/s');
    expect(formatValue(2500, 'short')).toBe('2.5 K');
  });
});

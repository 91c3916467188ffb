import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createMetrics, METRIC_NAMES } from '../../src/telemetry/createMetrics.ts';

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly targets?: readonly { readonly expr: string }[];
}

const dashboard = JSON.parse(
  readFileSync(new URL('../../docs/grafana-dashboard.json', import.meta.url), 'utf8'),
) as { panels: readonly Panel[]; uid: string };
const runbook = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');

const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));
// A histogram is queried through its _bucket, _sum and _count series.
const seriesOf = (name: string) => name.replace(/_(bucket|sum|count)$/, '');
const namesIn = (expr: string) =>
  [...expr.matchAll(/\b((?:ratchet|nodejs|process)_[a-z0-9_]+)\b/g)].map((m) => m[1] as string);

describe('docs/grafana-dashboard.json', () => {
  it('queries only metrics the engine exports', async () => {
    const text = await createMetrics().text();
    const exported = new Set(
      text
        .split('\n')
        .filter((l) => l.startsWith('# TYPE '))
        .map((l) => l.split(' ')[2] as string),
    );
    const unknown = exprs.flatMap(namesIn).filter((n) => !exported.has(seriesOf(n)));
    expect(unknown).toEqual([]);
  });

  it('shows every engine metric in some panel', () => {
    const used = new Set(exprs.flatMap(namesIn).map(seriesOf));
    expect(METRIC_NAMES.filter((n) => !used.has(n))).toEqual([]);
  });

  it('gives every panel a query and a unique title', () => {
    const panels = dashboard.panels.filter((p) => p.type !== 'row');
    expect(panels.filter((p) => (p.targets ?? []).length === 0).map((p) => p.title)).toEqual([]);
    expect(new Set(panels.map((p) => p.title)).size).toBe(panels.length);
  });
});

describe('docs/operations.md', () => {
  it('explains every engine metric', () => {
    expect(METRIC_NAMES.filter((n) => !runbook.includes(`\`${n}\``))).toEqual([]);
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/config/index.ts';
import type { InspectionRecord, PositionInfo } from '../../src/inspection/inspectionRecord.ts';
import { InspectionHub } from '../../src/inspector/inspectionHub.ts';
import type { ServerMessage } from '../../src/inspector/protocol.ts';
import { inspectScenario } from '../../src/replay/inspectScenario.ts';
import { createRandom } from '../../src/venues/emulator/random.ts';
import { SPEC } from './helpers.ts';

let info: PositionInfo;
let moving: InspectionRecord;
let exited: InspectionRecord;
beforeAll(async () => {
  const replayed = inspectScenario('p', 'p', await loadScenarioFile(`${SPEC}/sete-bigjump.json`));
  info = replayed.info;
  moving = replayed.records[1]!;
  exited = replayed.records.at(-1)!;
  expect(moving.context.exit).toBeNull();
  expect(exited.context.exit).not.toBeNull();
});

const at = (record: InspectionRecord, seq: number): InspectionRecord => ({ ...record, seq });

/** Returns every record the hub holds, position by position. */
function held(hub: InspectionHub): InspectionRecord[][] {
  return hub.summaries().map((p) => [...(hub.history(p.id)?.records ?? [])]);
}

describe('InspectionHub retention', () => {
  it('stays bounded through 100 000 records over 2 000 positions, keeping each newest tail', () => {
    const seed = Number(process.env.RATCHET_TEST_SEED ?? 20_240_611);
    console.log(`inspection hub retention seed ${seed} (RATCHET_TEST_SEED to repeat)`);
    const random = createRandom(seed);
    const perPosition = 40;
    const maxPositions = 25;
    const hub = new InspectionHub({ recordsPerPosition: perPosition, positions: maxPositions });
    const next = new Map<string, number>();
    hub.subscribe((m) => {
      if (m.type === 'positionDropped') next.delete(m.positionId);
    });
    let opened = 0;
    let largestJson = 0;
    for (let n = 0; n < 100_000; n++) {
      const live = [...next.keys()];
      if (live.length === 0 || opened < 2000 * (n / 100_000) || random.next() < 0.001) {
        const id = `p${opened++}`;
        hub.open({ ...info, id });
        next.set(id, 0);
        continue;
      }
      const id = live[random.int(0, live.length - 1)]!;
      const seq = next.get(id)!;
      // One in forty positions exits on each record; an exited one gets no more records.
      const done = random.next() < 1 / 40;
      hub.record(id, at(done ? exited : moving, seq));
      if (done) next.delete(id);
      else next.set(id, seq + 1);
      if (n % 5000 === 0) {
        const records = held(hub);
        expect(records.length).toBeLessThanOrEqual(maxPositions);
        expect(records.flat().length).toBeLessThanOrEqual(maxPositions * perPosition);
        largestJson = Math.max(largestJson, JSON.stringify(records).length);
      }
    }
    expect(opened).toBeGreaterThan(1900);
    const oneRecord = JSON.stringify(moving).length;
    expect(largestJson).toBeLessThanOrEqual(maxPositions * perPosition * (oneRecord + 64));
    for (const summary of hub.summaries()) {
      const records = hub.history(summary.id)?.records ?? [];
      // What is held is the newest contiguous tail, ending just before the next seq.
      expect(records.map((r) => r.seq)).toEqual(
        Array.from({ length: records.length }, (_, i) => summary.firstSeq + i),
      );
      expect(summary.records).toBe(summary.firstSeq + records.length);
      expect(records.length).toBe(Math.min(perPosition, summary.records));
    }
  });

  it('keeps a long history from its newest records and names the first one it holds', () => {
    const hub = new InspectionHub({ recordsPerPosition: 3 });
    hub.open(info);
    for (let seq = 0; seq < 10; seq++) hub.record('p', at(moving, seq));
    const history = hub.history('p');
    expect(history?.records.map((r) => r.seq)).toEqual([7, 8, 9]);
    expect(history?.position).toMatchObject({ records: 10, firstSeq: 7, status: 'open' });
    expect(() => hub.record('p', at(moving, 9))).toThrow(/expected record 10, got 9/);
  });

  it('makes room by dropping the oldest exited position first, else the oldest', () => {
    const hub = new InspectionHub({ positions: 3 });
    const messages: ServerMessage[] = [];
    hub.subscribe((m) => messages.push(m));
    for (const id of ['a', 'b', 'c']) hub.open({ ...info, id });
    hub.record('b', at(exited, 0));
    hub.open({ ...info, id: 'd' });
    expect(hub.summaries().map((p) => p.id)).toEqual(['a', 'c', 'd']);
    hub.open({ ...info, id: 'e' });
    expect(hub.summaries().map((p) => p.id)).toEqual(['c', 'd', 'e']);
    expect(messages.filter((m) => m.type === 'positionDropped').map((m) => m.positionId)).toEqual([
      'b',
      'a',
    ]);
  });

  it('forgets a dropped position: no history, no records, and its tap goes quiet', () => {
    const hub = new InspectionHub();
    const sink = hub.sinkFor('p');
    hub.open(info);
    sink(at(moving, 0));
    expect(hub.drop('p')).toBe(true);
    expect(hub.drop('p')).toBe(false);
    expect(hub.history('p')).toBeUndefined();
    expect(hub.summaries()).toEqual([]);
    expect(() => hub.record('p', at(moving, 1))).toThrow(/unknown position p/);
    // The actor behind a dropped position may keep stepping; its records are let go.
    sink(at(moving, 1));
    hub.open(info);
    expect(hub.history('p')?.records).toEqual([]);
    expect(() => hub.sinkFor('never-opened')(at(moving, 0))).toThrow(/unknown position/);
  });

  it('refuses limits below one', () => {
    expect(() => new InspectionHub({ recordsPerPosition: 0 })).toThrow(/recordsPerPosition/);
    expect(() => new InspectionHub({ positions: 1.5 })).toThrow(/positions/);
  });
});

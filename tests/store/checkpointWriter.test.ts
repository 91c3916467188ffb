import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { positionMachine } from '../../src/machines/positionMachine.ts';
import type { CheckpointSink, PositionCheckpoint } from '../../src/store/checkpoint.ts';
import { CheckpointWriter } from '../../src/store/checkpointWriter.ts';
import { MemorySink } from './memorySink.ts';

const input = {
  market: { tickSize: '0.01' },
  position: { side: 'long' as const, entryPrice: '100', quantity: '1', openedAt: 0 },
  policy: { initialStop: { percent: '2' }, trailing: { percent: '1' } },
};

/** Starts a tracked position actor and returns it with the events it emitted since the last call. */
function trackedPosition(writer: CheckpointWriter, id: string) {
  const actor = createActor(positionMachine, { input: { id, ...input } });
  const events: never[] = [];
  actor.on('*', (e) => events.push(e as never));
  writer.track({ positionId: id, actor, seq: 0, cursor: 0, source: 's' });
  actor.start();
  writer.stepped(id, 0, events.splice(0));
  return { id, actor, events };
}

/** A sink whose commits wait until the test settles them, one by one, in any order. */
class HeldSink implements CheckpointSink {
  readonly held: {
    checkpoints: readonly PositionCheckpoint[];
    resolve: () => void;
    reject: (error: Error) => void;
  }[] = [];
  readonly inner = new MemorySink();
  #arrived: (() => void) | undefined;
  /** Resolves when the next commit reaches the sink. */
  nextCommit(): Promise<void> {
    return new Promise((resolve) => (this.#arrived = resolve));
  }
  commit(checkpoints: readonly PositionCheckpoint[]): Promise<void> {
    const copy = JSON.parse(JSON.stringify(checkpoints)) as PositionCheckpoint[];
    const held = new Promise<void>((resolve, reject) => {
      this.held.push({
        checkpoints: copy,
        resolve: () => void this.inner.commit(copy).then(resolve),
        reject,
      });
    });
    this.#arrived?.();
    return held;
  }
}

describe('CheckpointWriter', () => {
  it('coalesces many steps of many positions into one batch, one snapshot each, every event kept', async () => {
    const sink = new MemorySink();
    const committed: PositionCheckpoint[][] = [];
    const spy: CheckpointSink = { commit: (c) => (committed.push([...c]), sink.commit(c)) };
    const writer = new CheckpointWriter(spy, { maxPendingSteps: 1000 });
    const positions = ['a', 'b'].map((id) => trackedPosition(writer, id));
    for (let i = 1; i <= 5; i++) {
      for (const { id, actor, events } of positions) {
        actor.send({ type: 'PRICE', ts: i, price: String(100 + i) });
        expect(writer.stepped(id, i, events.splice(0)).flushDue).toBe(false);
      }
    }
    await writer.flush();
    expect(committed).toHaveLength(1);
    // opened; activated + stopMoved at the first tick; a stopMoved at each of the next four.
    expect(committed[0]?.map((c) => [c.positionId, c.cursor, c.seq, c.entries.length])).toEqual([
      ['a', 5, 7, 7],
      ['b', 5, 7, 7],
    ]);
    await writer.flush();
    expect(committed).toHaveLength(1); // nothing changed, nothing written
  });

  it('keeps the entries of a failed flush for the next one', async () => {
    const sink = new MemorySink();
    sink.crashAfter = 0;
    const writer = new CheckpointWriter(sink);
    const { actor, events } = trackedPosition(writer, 'a');
    await expect(writer.flush()).rejects.toThrow('crashed');
    actor.send({ type: 'PRICE', ts: 1, price: '101' });
    writer.stepped('a', 1, events.splice(0));
    sink.crashAfter = Infinity;
    await writer.flush();
    expect(sink.journal.map((e) => `${e.seq}:${e.event.type}`)).toEqual([
      '1:opened',
      '2:activated',
      '3:stopMoved',
    ]);
  });

  it('runs a flush asked for while another is in flight after it, so a failed first batch is committed first', async () => {
    const sink = new HeldSink();
    const writer = new CheckpointWriter(sink);
    const { actor, events } = trackedPosition(writer, 'a');
    const first = writer.flush();
    actor.send({ type: 'PRICE', ts: 1, price: '101' });
    writer.stepped('a', 1, events.splice(0));
    const second = writer.flush();
    // Only one batch may be in flight: the second waits for the first to settle.
    expect(sink.held).toHaveLength(1);
    const secondArrives = sink.nextCommit();
    sink.held[0]?.reject(new Error('disk full'));
    await expect(first).rejects.toThrow('disk full');
    await secondArrives;
    expect(sink.held).toHaveLength(2);
    sink.held[1]?.resolve();
    await second;
    expect(sink.held[1]?.checkpoints.map((c) => [c.seq, c.cursor])).toEqual([[3, 1]]);
    expect(sink.inner.journal.map((e) => `${e.seq}:${e.event.type}`)).toEqual([
      '1:opened',
      '2:activated',
      '3:stopMoved',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { groupWriter } from '../../server/store/group-writer';

/**
 * The audit log's line and the last-sync time are written by nearly every request; on PostgreSQL
 * each write is a round trip and a commit. server/store/group-writer.ts lets rows that arrive
 * while a write is under way go together. What must keep holding: a caller's promise resolves
 * only once its own row is stored, a lone row is written at once, and a row that cannot be
 * stored fails its own caller only. The "database" here is a list behind a gate the test opens.
 */

interface Gate {
  readonly opened: Promise<void>;
  open(): void;
}

function gate(): Gate {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

function store(options: { refuse?: (row: string) => boolean } = {}) {
  const stored: string[] = [];
  const statements: string[][] = [];
  const gates: Gate[] = [];
  const writeAll = async (rows: readonly string[]) => {
    statements.push([...rows]);
    const held = gate();
    gates.push(held);
    await held.opened;
    const refused = rows.find((row) => options.refuse?.(row) === true);
    if (refused !== undefined) throw new Error(`cannot store ${refused}`);
    stored.push(...rows);
  };
  return { stored, statements, gates, writeAll };
}

/** Lets every pending promise callback run. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('a group writer', () => {
  it('writes a lone row at once, and rows that arrive meanwhile together after it', async () => {
    const db = store();
    const writer = groupWriter(db.writeAll);
    const done: string[] = [];
    const first = writer.write('a').then(() => done.push('a'));
    await settle();
    expect(db.statements).toEqual([['a']]);

    const later = ['b', 'c', 'd'].map((row) => writer.write(row).then(() => done.push(row)));
    await settle();
    // Nothing is answered before its row is stored.
    expect(done).toEqual([]);
    expect(db.statements).toHaveLength(1);

    db.gates[0]?.open();
    await first;
    expect(done).toEqual(['a']);
    await settle();
    expect(db.statements).toEqual([['a'], ['b', 'c', 'd']]);
    expect(done).toEqual(['a']);

    db.gates[1]?.open();
    await Promise.all(later);
    expect(done).toEqual(['a', 'b', 'c', 'd']);
    expect(db.stored).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps each statement within its batch size', async () => {
    const db = store();
    const writer = groupWriter(db.writeAll, 2);
    const all = ['a', 'b', 'c', 'd', 'e'].map((row) => writer.write(row));
    for (let round = 0; round < 4; round += 1) {
      await settle();
      for (const held of db.gates) held.open();
    }
    await Promise.all(all);
    expect(db.statements).toEqual([['a'], ['b', 'c'], ['d', 'e']]);
  });

  it('fails only the row that cannot be stored, and stores its neighbours', async () => {
    const db = store({ refuse: (row) => row === 'bad' });
    const writer = groupWriter(db.writeAll);
    const first = writer.write('a');
    await settle();
    const outcomes = ['b', 'bad', 'c'].map((row) =>
      writer.write(row).then(
        () => `${row} stored`,
        (error: unknown) => `${row} refused: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    for (let round = 0; round < 6; round += 1) {
      for (const held of db.gates) held.open();
      await settle();
    }
    await first;
    expect(await Promise.all(outcomes)).toEqual(['b stored', 'bad refused: cannot store bad', 'c stored']);
    expect(db.stored).toEqual(['a', 'b', 'c']);
  });

  it('goes on writing after a failure', async () => {
    const db = store({ refuse: (row) => row === 'bad' });
    const writer = groupWriter(db.writeAll);
    const refused = writer.write('bad');
    await settle();
    db.gates[0]?.open();
    await expect(refused).rejects.toThrow('cannot store bad');
    const next = writer.write('e');
    await settle();
    db.gates[1]?.open();
    await next;
    expect(db.stored).toEqual(['e']);
  });
});

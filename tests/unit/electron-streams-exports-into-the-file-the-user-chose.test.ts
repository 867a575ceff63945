import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSystemSavePort, MAX_OPEN_SAVES, streamedSaves } from '../../electron/save-stream';
import type { SaveFilePort } from '../../electron/save-file';
import { MAX_SAVE_CHUNK_BYTES } from '../../shared/bridge';

/**
 * The main process's streamed save (beginSave, writeSave, finishSave): the user chooses the file,
 * the page hands the export over a chunk at a time, and each chunk is on disk before the next is
 * taken, so neither side holds the export. The page only ever names a save by the id it was
 * given, from the window that began it. Real files under a temporary folder; the dialog answers
 * as a user would.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reclaim-save-stream-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function userChooses(answer: { canceled: boolean; filePath?: string }) {
  const asked: Parameters<SaveFilePort['showSaveDialog']>[0][] = [];
  return {
    asked,
    dialog: {
      async showSaveDialog(options: Parameters<SaveFilePort['showSaveDialog']>[0]) {
        asked.push(options);
        return answer;
      },
    },
  };
}

const WINDOW = 1;
const OTHER_WINDOW = 2;
const chunk = (seed: number, size: number) => Uint8Array.from({ length: size }, (_, index) => (index * 31 + seed) & 0xff);

describe('a streamed save', () => {
  it('writes each chunk to the chosen file before taking the next, and ends with exactly the export’s bytes', async () => {
    const saves = streamedSaves(fileSystemSavePort());
    const { dialog, asked } = userChooses({ canceled: false, filePath: join(dir, 'events') });
    const begun = await saves.begin({ suggestedName: 'custody-events-2026-11-24.csv', mimeType: 'text/csv' }, WINDOW, dialog);
    if (!begun.opened) throw new Error('the save should open');
    expect(begun.location).toBe(join(dir, 'events.csv'));
    expect(asked).toEqual([{ defaultPath: 'custody-events-2026-11-24.csv', filters: [{ name: 'CSV for spreadsheets', extensions: ['csv'] }] }]);
    const chunks = [chunk(1, 70_000), chunk(2, 1), chunk(3, 250_000)];
    let written = 0;
    for (const part of chunks) {
      await saves.write({ streamId: begun.streamId, chunk: part }, WINDOW);
      written += part.byteLength;
      expect((await stat(join(dir, 'events.csv'))).size).toBe(written);
    }
    expect(await saves.finish({ streamId: begun.streamId, outcome: 'complete' }, WINDOW)).toEqual({ saved: true, location: join(dir, 'events.csv') });
    expect(Buffer.from(await readFile(join(dir, 'events.csv'))).equals(Buffer.concat(chunks))).toBe(true);
    await expect(saves.write({ streamId: begun.streamId, chunk: chunk(4, 10) }, WINDOW)).rejects.toThrow(/No such save/);
  });

  it('opens nothing and writes nothing when the user cancels the dialog', async () => {
    const saves = streamedSaves(fileSystemSavePort());
    const before = await readdir(dir);
    expect(await saves.begin({ suggestedName: 'custody-record.pdf', mimeType: 'application/pdf' }, WINDOW, userChooses({ canceled: true }).dialog)).toEqual({ opened: false });
    expect(await readdir(dir)).toEqual(before);
  });

  it('removes the half-written file when the download is abandoned or its window closes', async () => {
    const saves = streamedSaves(fileSystemSavePort());
    const first = await saves.begin({ suggestedName: 'custody-record.pdf', mimeType: 'application/pdf' }, WINDOW, userChooses({ canceled: false, filePath: join(dir, 'broken.pdf') }).dialog);
    const second = await saves.begin({ suggestedName: 'custody-record.zip', mimeType: 'application/zip' }, WINDOW, userChooses({ canceled: false, filePath: join(dir, 'closed.zip') }).dialog);
    const other = await saves.begin({ suggestedName: 'custody-record.zip', mimeType: 'application/zip' }, OTHER_WINDOW, userChooses({ canceled: false, filePath: join(dir, 'other.zip') }).dialog);
    if (!first.opened || !second.opened || !other.opened) throw new Error('the saves should open');
    for (const save of [first, second]) await saves.write({ streamId: save.streamId, chunk: chunk(5, 1000) }, WINDOW);
    expect(await saves.finish({ streamId: first.streamId, outcome: 'abandon' }, WINDOW)).toEqual({ saved: false, location: null });
    await saves.abandonAllOf(WINDOW);
    const left = await readdir(dir);
    expect(left).not.toContain('broken.pdf');
    expect(left).not.toContain('closed.zip');
    expect(left).toContain('other.zip');
    expect(await saves.finish({ streamId: other.streamId, outcome: 'complete' }, OTHER_WINDOW)).toEqual({ saved: true, location: join(dir, 'other.zip') });
  });

  it('answers a save’s id only from the window that began it, and no made-up id at all', async () => {
    const saves = streamedSaves(fileSystemSavePort());
    const begun = await saves.begin({ suggestedName: 'custody-record.pdf', mimeType: 'application/pdf' }, WINDOW, userChooses({ canceled: false, filePath: join(dir, 'mine.pdf') }).dialog);
    if (!begun.opened) throw new Error('the save should open');
    await expect(saves.write({ streamId: begun.streamId, chunk: chunk(6, 10) }, OTHER_WINDOW)).rejects.toThrow(/No such save is open in this window/);
    await expect(saves.finish({ streamId: begun.streamId, outcome: 'abandon' }, OTHER_WINDOW)).rejects.toThrow(/No such save is open in this window/);
    await expect(saves.write({ streamId: randomUUID(), chunk: chunk(6, 10) }, WINDOW)).rejects.toThrow(/No such save/);
    expect((await stat(join(dir, 'mine.pdf'))).size).toBe(0);
    await saves.finish({ streamId: begun.streamId, outcome: 'complete' }, WINDOW);
  });

  it('refuses paths, foreign types, mismatched extensions, oversize and non-byte chunks, and too many open saves', async () => {
    const saves = streamedSaves(fileSystemSavePort());
    const { dialog, asked } = userChooses({ canceled: false, filePath: join(dir, 'never.pdf') });
    const refused: unknown[] = [
      { suggestedName: '../../.bashrc.pdf', mimeType: 'application/pdf' },
      { suggestedName: '/etc/cron.d/x.pdf', mimeType: 'application/pdf' },
      { suggestedName: 'launcher.desktop', mimeType: 'application/pdf' },
      { suggestedName: 'record.pdf', mimeType: 'application/x-sh' },
      { suggestedName: 'record.zip', mimeType: 'application/pdf' },
      null,
    ];
    for (const request of refused) await expect(saves.begin(request, WINDOW, dialog)).rejects.toThrow();
    expect(asked).toEqual([]);

    const open = [];
    for (let index = 0; index < MAX_OPEN_SAVES; index += 1) {
      const begun = await saves.begin({ suggestedName: 'custody-record.pdf', mimeType: 'application/pdf' }, WINDOW, userChooses({ canceled: false, filePath: join(dir, `many-${index}.pdf`) }).dialog);
      if (!begun.opened) throw new Error('the save should open');
      open.push(begun.streamId);
    }
    await expect(saves.begin({ suggestedName: 'custody-record.pdf', mimeType: 'application/pdf' }, WINDOW, dialog)).rejects.toThrow(/already being saved/);

    /** A byte array that says it is one byte over the limit, without allocating it. */
    class Oversize extends Uint8Array {
      override get byteLength(): number {
        return MAX_SAVE_CHUNK_BYTES + 1;
      }
    }
    const streamId = open[0] ?? '';
    for (const request of [{ streamId, chunk: new Oversize(4) }, { streamId, chunk: 'text' }, { streamId, chunk: [1, 2, 3] }, { streamId: 'not-an-id', chunk: chunk(7, 4) }]) {
      await expect(saves.write(request, WINDOW)).rejects.toThrow();
    }
    expect((await stat(join(dir, 'many-0.pdf'))).size).toBe(0);
    await saves.abandonAllOf(WINDOW);
  });
});

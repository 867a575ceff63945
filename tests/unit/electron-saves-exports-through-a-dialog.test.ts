import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromTheAppOnly } from '../../electron/ipc-guard';
import { saveFileWithDialog, type SaveFilePort } from '../../electron/save-file';
import { MAX_SAVED_FILE_BYTES } from '../../shared/bridge';

/**
 * The main-process saveFile handler: the page only suggests a name; the user's choice in the
 * dialog is the one path written. The operating system (dialog, disk) stands behind a port:
 * here a dialog that answers as a user would and the real file system under a temporary folder.
 */
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'reclaim-save-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function userChooses(answer: { canceled: boolean; filePath?: string }) {
  const asked: Parameters<SaveFilePort['showSaveDialog']>[0][] = [];
  const written: string[] = [];
  const port: SaveFilePort = {
    async showSaveDialog(options) {
      asked.push(options);
      return answer;
    },
    async writeFile(filePath, content) {
      written.push(filePath);
      await writeFile(filePath, content);
    },
  };
  return { port, asked, written };
}

const pdfBytes = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0x00, 0xff, 0x80]);

describe('saving a file from the page', () => {
  it('writes the export’s exact bytes where the user chose, offering only its own type', async () => {
    const { port, asked } = userChooses({ canceled: false, filePath: join(dir, 'record.pdf') });
    const result = await saveFileWithDialog({ suggestedName: 'custody-ACME-1042-2026-11-23.pdf', mimeType: 'application/pdf', content: pdfBytes }, port);
    expect(result).toEqual({ saved: true, location: join(dir, 'record.pdf') });
    expect(new Uint8Array(await readFile(join(dir, 'record.pdf')))).toEqual(pdfBytes);
    expect(asked).toEqual([{ defaultPath: 'custody-ACME-1042-2026-11-23.pdf', filters: [{ name: 'PDF document', extensions: ['pdf'] }] }]);
  });

  it('adds the type’s extension when the user typed a name without it', async () => {
    const { port, written } = userChooses({ canceled: false, filePath: join(dir, 'events') });
    const result = await saveFileWithDialog({ suggestedName: 'custody-events.csv', mimeType: 'text/csv', content: new TextEncoder().encode('event_id,at\r\n') }, port);
    expect(result.location).toBe(join(dir, 'events.csv'));
    expect(written).toEqual([join(dir, 'events.csv')]);
    expect(await readFile(join(dir, 'events.csv'), 'utf8')).toBe('event_id,at\r\n');
  });

  it('still saves a GPX day plan given as text', async () => {
    const { port } = userChooses({ canceled: false, filePath: join(dir, 'day.gpx') });
    await saveFileWithDialog({ suggestedName: 'reclaim-route-2026-11-23.gpx', mimeType: 'application/gpx+xml', content: '<gpx/>' }, port);
    expect(await readFile(join(dir, 'day.gpx'), 'utf8')).toBe('<gpx/>');
  });

  it('writes nothing when the user cancels', async () => {
    const { port, written } = userChooses({ canceled: true });
    expect(await saveFileWithDialog({ suggestedName: 'custody-bundle.zip', mimeType: 'application/zip', content: pdfBytes }, port)).toEqual({ saved: false, location: null });
    expect(written).toEqual([]);
  });

  it('refuses paths, foreign types, mismatched extensions and oversize content before any dialog opens', async () => {
    const { port, asked, written } = userChooses({ canceled: false, filePath: join(dir, 'never') });
    /** A byte array that says it is one byte over the limit, without allocating half a gigabyte. */
    class Oversize extends Uint8Array {
      override get byteLength(): number {
        return MAX_SAVED_FILE_BYTES + 1;
      }
    }
    const refused: unknown[] = [
      { suggestedName: '../../.bashrc.pdf', mimeType: 'application/pdf', content: pdfBytes },
      { suggestedName: '/etc/cron.d/x.pdf', mimeType: 'application/pdf', content: pdfBytes },
      { suggestedName: 'launcher.desktop', mimeType: 'application/pdf', content: pdfBytes },
      { suggestedName: 'record.pdf', mimeType: 'application/x-sh', content: pdfBytes },
      { suggestedName: 'record.zip', mimeType: 'application/pdf', content: pdfBytes },
      { suggestedName: 'record.pdf', mimeType: 'application/pdf', content: 42 },
      { suggestedName: 'record.pdf', mimeType: 'application/pdf', content: new Oversize(4) },
      { suggestedName: 'day.gpx', mimeType: 'application/gpx+xml', content: 'x'.repeat(5 * 1024 * 1024 + 1) },
      null,
    ];
    for (const request of refused) await expect(saveFileWithDialog(request, port)).rejects.toThrow();
    expect(asked).toEqual([]);
    expect(written).toEqual([]);
  });
});

describe('who may call the bridge', () => {
  const handler = fromTheAppOnly((args: unknown[]) => `called with ${args.length}`);

  it('answers our own app:// page', () => {
    expect(handler({ senderFrame: { url: 'app://reclaim/index.html' } }, 'a', 'b')).toBe('called with 2');
  });

  it('refuses any other page, and a frame that is gone', () => {
    for (const url of ['https://evil.example/', 'file:///home/agent/index.html', 'app://other/index.html', 'http://127.0.0.1:8787/']) {
      expect(() => handler({ senderFrame: { url } })).toThrow('Refused: not the Reclaim app');
    }
    expect(() => handler({ senderFrame: null })).toThrow('Refused: not the Reclaim app');
  });
});

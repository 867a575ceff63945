import { randomUUID } from 'node:crypto';
import { open, rm } from 'node:fs/promises';
import { BeginSaveRequest, FinishSaveRequest, WriteSaveRequest, type BeginSaveResult, type SaveFileResult } from '../shared/bridge';
import { chooseSavePath, type SaveFilePort } from './save-file';

/** A file opened for a streamed save: bytes appended in order, then closed. */
export interface WritableFile {
  write(bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/**
 * What a streamed save needs from the operating system besides the dialog (which belongs to
 * the window asking): a file opened for writing at the path the user chose, its removal when
 * the download is abandoned, and a fresh random id. node:fs stands behind it in the app and in
 * the tests.
 */
export interface SaveStreamPort {
  openForWriting(filePath: string): Promise<WritableFile>;
  remove(filePath: string): Promise<void>;
  newId(): string;
}

/** The port over node:fs: the app's, and the tests'. The file is created (or emptied) at the path given. */
export function fileSystemSavePort(newId: () => string = randomUUID): SaveStreamPort {
  return {
    async openForWriting(filePath) {
      const file = await open(filePath, 'w');
      return {
        async write(bytes) {
          // A write may take fewer bytes than offered; the rest follows until the chunk is down.
          for (let offset = 0; offset < bytes.byteLength; ) offset += (await file.write(bytes, offset, bytes.byteLength - offset)).bytesWritten;
        },
        close: () => file.close(),
      };
    },
    remove: (filePath) => rm(filePath, { force: true }),
    newId,
  };
}

/** At most this many saves open at once, across windows: a page cannot pile up open files. */
export const MAX_OPEN_SAVES = 4;

/**
 * The main-process half of beginSave, writeSave and finishSave. Every request is untrusted and
 * validated with the shared schemas. The only path ever written is the one the user chose in
 * the dialog; the page gets an id for it, never the means to name another file, and an id works
 * only for the window (sender) that began the save. A chunk is written before the next is
 * accepted, so memory holds at most one chunk per save whatever the export weighs.
 */
export function streamedSaves(port: SaveStreamPort) {
  const open = new Map<string, { owner: number; filePath: string; file: WritableFile }>();

  function saveOf(streamId: string, owner: number) {
    const save = open.get(streamId);
    if (!save || save.owner !== owner) throw new Error('No such save is open in this window; start the export again.');
    return save;
  }

  async function abandon(streamId: string): Promise<void> {
    const save = open.get(streamId);
    if (!save) return;
    open.delete(streamId);
    await save.file.close().catch(() => undefined);
    await port.remove(save.filePath).catch(() => undefined);
  }

  return {
    async begin(request: unknown, owner: number, dialog: Pick<SaveFilePort, 'showSaveDialog'>): Promise<BeginSaveResult> {
      const { suggestedName, mimeType } = BeginSaveRequest.parse(request);
      if (open.size >= MAX_OPEN_SAVES) throw new Error(`${MAX_OPEN_SAVES} exports are already being saved; wait for one to finish.`);
      const filePath = await chooseSavePath(dialog, suggestedName, mimeType);
      if (!filePath) return { opened: false };
      const streamId = port.newId();
      open.set(streamId, { owner, filePath, file: await port.openForWriting(filePath) });
      return { opened: true, streamId, location: filePath };
    },

    async write(request: unknown, owner: number): Promise<void> {
      const { streamId, chunk } = WriteSaveRequest.parse(request);
      const save = saveOf(streamId, owner);
      try {
        await save.file.write(chunk);
      } catch (error) {
        await abandon(streamId);
        throw new Error(`The file could not be written (${error instanceof Error ? error.message : 'unknown error'}); nothing was kept. Check the disk and save again.`);
      }
    },

    async finish(request: unknown, owner: number): Promise<SaveFileResult> {
      const { streamId, outcome } = FinishSaveRequest.parse(request);
      const save = saveOf(streamId, owner);
      if (outcome === 'abandon') {
        await abandon(streamId);
        return { saved: false, location: null };
      }
      open.delete(streamId);
      await save.file.close();
      return { saved: true, location: save.filePath };
    },

    /** When a window goes away mid-save, its half-written files are removed. */
    async abandonAllOf(owner: number): Promise<void> {
      for (const [streamId, save] of [...open]) if (save.owner === owner) await abandon(streamId);
    },
  };
}
export type StreamedSaves = ReturnType<typeof streamedSaves>;

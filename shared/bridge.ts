import { z } from 'zod';

/**
 * The one contract between the renderer and the platform it runs on. Electron's preload
 * implements it over IPC (one method per channel, checked with `satisfies`); the browser
 * build implements it with web APIs. The renderer imports only this module.
 */
export const AppInfo = z.object({
  platform: z.enum(['electron', 'browser']),
  appVersion: z.string(),
  /** The sync server this build was started against, when the platform knows it. */
  defaultServerUrl: z.string().url().nullable(),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const SecretKey = z.enum(['session']);
export type SecretKey = z.infer<typeof SecretKey>;

export const SetSecretRequest = z.object({ key: SecretKey, value: z.string().max(64 * 1024) });
export const ExternalUrl = z
  .string()
  .url()
  .refine((url) => /^(https?|geo|maps):/i.test(url), { message: 'only web and map links can be opened' });

/** Where the agent is, or why the platform could not say: a refusal is normal, not an error. */
export const CurrentPosition = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180), accuracyM: z.number().nonnegative() }),
  z.object({ ok: z.literal(false), reason: z.string() }),
]);
export type CurrentPosition = z.infer<typeof CurrentPosition>;

/**
 * A file the user saves: a GPX day plan, or a custody export (PDF, CSV, bundle). The type comes
 * from a short list and the name must end in its extension, checked on both sides, so a
 * compromised page cannot use the dialog to drop, say, a .desktop or .bat file; it never names
 * a folder, only suggests a file name.
 */
export const SavableMimeType = z.enum(['application/gpx+xml', 'application/pdf', 'text/csv', 'application/zip']);
export type SavableMimeType = z.infer<typeof SavableMimeType>;
export const savableFiles = {
  'application/gpx+xml': { extension: 'gpx', description: 'GPS exchange (GPX)' },
  'application/pdf': { extension: 'pdf', description: 'PDF document' },
  'text/csv': { extension: 'csv', description: 'CSV for spreadsheets' },
  'application/zip': { extension: 'zip', description: 'Custody bundle (zip)' },
} as const satisfies Record<SavableMimeType, { extension: string; description: string }>;
/** saveFile takes a whole file at once: text (a GPX plan) as a string, bytes up to this size. Exports stream (beginSave). */
export const MAX_SAVED_TEXT_CHARS = 5 * 1024 * 1024;
export const MAX_SAVED_FILE_BYTES = 512 * 1024 * 1024;

const SuggestedName = z
  .string()
  .min(5)
  .max(120)
  .regex(/^[\w .-]+\.(gpx|pdf|csv|zip)$/i, { message: 'a plain file name ending in .gpx, .pdf, .csv or .zip' });
const nameMatchesType = {
  check: (request: { suggestedName: string; mimeType: SavableMimeType }) => request.suggestedName.toLowerCase().endsWith(`.${savableFiles[request.mimeType].extension}`),
  message: { message: 'the file name must end in the extension of its type', path: ['suggestedName'] },
};

export const SaveFileRequest = z
  .object({
    suggestedName: SuggestedName,
    mimeType: SavableMimeType,
    content: z.union([
      z.string().max(MAX_SAVED_TEXT_CHARS),
      z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_SAVED_FILE_BYTES, { message: `at most ${MAX_SAVED_FILE_BYTES / 1024 / 1024} MB` }),
    ]),
  })
  .refine(nameMatchesType.check, nameMatchesType.message);
export type SaveFileRequest = z.infer<typeof SaveFileRequest>;
export const SaveFileResult = z.object({ saved: z.boolean(), location: z.string().nullable() });
export type SaveFileResult = z.infer<typeof SaveFileResult>;

/**
 * A streamed save, for exports of any size: the user chooses the file first (beginSave), the
 * page then hands the bytes over as they download (writeSave, a chunk at a time), and
 * finishSave closes the file, or removes it when the download was abandoned. Nothing waits in
 * memory on either side. The page names a stream only by the id the platform gave it.
 */
export const MAX_SAVE_CHUNK_BYTES = 8 * 1024 * 1024;
export const BeginSaveRequest = z.object({ suggestedName: SuggestedName, mimeType: SavableMimeType }).refine(nameMatchesType.check, nameMatchesType.message);
export type BeginSaveRequest = z.infer<typeof BeginSaveRequest>;
export const SaveStreamId = z.uuid();
export const BeginSaveResult = z.discriminatedUnion('opened', [
  z.object({ opened: z.literal(false) }),
  z.object({ opened: z.literal(true), streamId: SaveStreamId, location: z.string().nullable() }),
]);
export type BeginSaveResult = z.infer<typeof BeginSaveResult>;
export const WriteSaveRequest = z.object({
  streamId: SaveStreamId,
  chunk: z.instanceof(Uint8Array).refine((bytes) => bytes.byteLength <= MAX_SAVE_CHUNK_BYTES, { message: `a chunk is at most ${MAX_SAVE_CHUNK_BYTES / 1024 / 1024} MB` }),
});
export type WriteSaveRequest = z.infer<typeof WriteSaveRequest>;
export const FinishSaveRequest = z.object({ streamId: SaveStreamId, outcome: z.enum(['complete', 'abandon']) });
export type FinishSaveRequest = z.infer<typeof FinishSaveRequest>;

export interface ReclaimBridge {
  getAppInfo(): Promise<AppInfo>;
  /** Secrets are encrypted at rest where the platform can (Electron's safeStorage). */
  getSecret(key: SecretKey): Promise<string | null>;
  setSecret(key: SecretKey, value: string): Promise<void>;
  deleteSecret(key: SecretKey): Promise<void>;
  /** Hands a link (a navigation app, a map) to the operating system. */
  openExternal(url: string): Promise<void>;
  /** Asks the platform for the device's position; resolves with a reason rather than hanging. */
  getCurrentPosition(): Promise<CurrentPosition>;
  /** Lets the user save a file: a save dialog in Electron (saved: false when cancelled), a download in the browser. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
  /** Asks where to save a file that will be streamed in; opened: false when the user cancelled. */
  beginSave(request: BeginSaveRequest): Promise<BeginSaveResult>;
  /** Appends the next bytes, in order; wait for each before sending the next. */
  writeSave(request: WriteSaveRequest): Promise<void>;
  /** Closes the file (complete), or removes what was written (abandon). */
  finishSave(request: FinishSaveRequest): Promise<SaveFileResult>;
}

export const bridgeChannels = {
  getAppInfo: 'reclaim:app:get-info',
  getSecret: 'reclaim:secrets:get',
  setSecret: 'reclaim:secrets:set',
  deleteSecret: 'reclaim:secrets:delete',
  openExternal: 'reclaim:shell:open-external',
  getCurrentPosition: 'reclaim:geo:current-position',
  saveFile: 'reclaim:files:save',
  beginSave: 'reclaim:files:save-begin',
  writeSave: 'reclaim:files:save-write',
  finishSave: 'reclaim:files:save-finish',
} as const satisfies Record<keyof ReclaimBridge, string>;

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'reclaim';

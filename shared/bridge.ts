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
 * A text file the user saves (a GPX day plan). The extension and size are checked on both
 * sides so a compromised page cannot use the dialog to drop, say, a .desktop or .bat file.
 */
export const savableExtensions = ['gpx'] as const;
export const SaveFileRequest = z.object({
  suggestedName: z
    .string()
    .min(5)
    .max(120)
    .regex(/^[\w .-]+\.(gpx)$/i, { message: 'a plain file name ending in .gpx' }),
  mimeType: z.enum(['application/gpx+xml']),
  content: z.string().max(5 * 1024 * 1024),
});
export type SaveFileRequest = z.infer<typeof SaveFileRequest>;
export const SaveFileResult = z.object({ saved: z.boolean(), location: z.string().nullable() });
export type SaveFileResult = z.infer<typeof SaveFileResult>;

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
  /** Lets the user save a file: a save dialog in Electron, a download in the browser. */
  saveFile(request: SaveFileRequest): Promise<SaveFileResult>;
}

export const bridgeChannels = {
  getAppInfo: 'reclaim:app:get-info',
  getSecret: 'reclaim:secrets:get',
  setSecret: 'reclaim:secrets:set',
  deleteSecret: 'reclaim:secrets:delete',
  openExternal: 'reclaim:shell:open-external',
  getCurrentPosition: 'reclaim:geo:current-position',
  saveFile: 'reclaim:files:save',
} as const satisfies Record<keyof ReclaimBridge, string>;

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'reclaim';

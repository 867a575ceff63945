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

export interface ReclaimBridge {
  getAppInfo(): Promise<AppInfo>;
  /** Secrets are encrypted at rest where the platform can (Electron's safeStorage). */
  getSecret(key: SecretKey): Promise<string | null>;
  setSecret(key: SecretKey, value: string): Promise<void>;
  deleteSecret(key: SecretKey): Promise<void>;
  /** Hands a link (a navigation app, a map) to the operating system. */
  openExternal(url: string): Promise<void>;
}

export const bridgeChannels = {
  getAppInfo: 'reclaim:app:get-info',
  getSecret: 'reclaim:secrets:get',
  setSecret: 'reclaim:secrets:set',
  deleteSecret: 'reclaim:secrets:delete',
  openExternal: 'reclaim:shell:open-external',
} as const satisfies Record<keyof ReclaimBridge, string>;

/** The global name under which the preload exposes the bridge. */
export const BRIDGE_GLOBAL = 'reclaim';

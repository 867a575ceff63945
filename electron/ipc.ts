import { app, ipcMain, shell } from 'electron';
import { z } from 'zod';
import { AppInfo, ExternalUrl, SecretKey, SetSecretRequest, bridgeChannels } from '../shared/bridge';
import { APP_VERSION } from '../shared/version';
import { isAppUrl } from './security';
import type { SecretStore } from './secret-store';

/**
 * The main-process side of the bridge. Every request is validated with the shared schemas:
 * the renderer is treated as untrusted, and only our own app:// page may call in.
 */
export function registerBridgeHandlers(secrets: SecretStore, defaultServerUrl: string | null): void {
  const handle = <T>(channel: string, handler: (args: unknown[]) => Promise<T> | T): void => {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) throw new Error('Refused: not the Reclaim app');
      return handler(args);
    });
  };

  handle(bridgeChannels.getAppInfo, () =>
    AppInfo.parse({ platform: 'electron', appVersion: app.isPackaged ? app.getVersion() : APP_VERSION, defaultServerUrl }),
  );
  handle(bridgeChannels.getSecret, ([key]) => secrets.get(SecretKey.parse(key)));
  handle(bridgeChannels.setSecret, ([request]) => {
    const { key, value } = SetSecretRequest.parse(request);
    return secrets.set(key, value);
  });
  handle(bridgeChannels.deleteSecret, ([key]) => secrets.delete(SecretKey.parse(key)));
  handle(bridgeChannels.openExternal, ([url]) => shell.openExternal(ExternalUrl.parse(url)));
}

export const ServerUrlArgument = z.string().url();

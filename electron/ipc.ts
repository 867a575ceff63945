import { writeFile } from 'node:fs/promises';
import { BrowserWindow, app, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import {
  AppInfo,
  ExternalUrl,
  SaveFileRequest,
  SecretKey,
  SetSecretRequest,
  bridgeChannels,
  type SaveFileResult,
} from '../shared/bridge';
import { APP_VERSION } from '../shared/version';
import { isAppUrl } from './security';
import type { SecretStore } from './secret-store';

/**
 * The main-process side of the bridge. Every request is validated with the shared schemas:
 * the renderer is treated as untrusted, and only our own app:// page may call in.
 */
export function registerBridgeHandlers(secrets: SecretStore, defaultServerUrl: string | null): void {
  const handle = <T>(channel: string, handler: (args: unknown[], event: IpcMainInvokeEvent) => Promise<T> | T): void => {
    ipcMain.handle(channel, (event, ...args: unknown[]) => {
      if (!event.senderFrame || !isAppUrl(event.senderFrame.url)) throw new Error('Refused: not the Reclaim app');
      return handler(args, event);
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
  // The preload answers getCurrentPosition itself (geolocation is a renderer API); this
  // handler only exists so an older preload calling the channel gets a reason, not a hang.
  handle(bridgeChannels.getCurrentPosition, () => ({ ok: false, reason: 'location is read in the window, not here' }));
  handle(bridgeChannels.saveFile, ([request], event) => saveFile(SaveFileRequest.parse(request), event));
}

/** The user picks where the file goes; the page never names a path, so it can write nowhere else. */
async function saveFile(request: SaveFileRequest, event: IpcMainInvokeEvent): Promise<SaveFileResult> {
  const owner = BrowserWindow.fromWebContents(event.sender);
  const options = {
    defaultPath: request.suggestedName,
    filters: [{ name: 'GPS exchange (GPX)', extensions: ['gpx'] }],
  };
  const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return { saved: false, location: null };
  const filePath = /\.gpx$/i.test(choice.filePath) ? choice.filePath : `${choice.filePath}.gpx`;
  await writeFile(filePath, request.content, 'utf8');
  return { saved: true, location: filePath };
}

export const ServerUrlArgument = z.string().url();

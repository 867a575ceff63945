import { writeFile } from 'node:fs/promises';
import { BrowserWindow, app, dialog, ipcMain, shell, type IpcMainInvokeEvent } from 'electron';
import { z } from 'zod';
import { AppInfo, ExternalUrl, SecretKey, SetSecretRequest, bridgeChannels } from '../shared/bridge';
import { APP_VERSION } from '../shared/version';
import { saveFileWithDialog, type SaveFilePort } from './save-file';
import { fromTheAppOnly } from './ipc-guard';
import { fileSystemSavePort, streamedSaves } from './save-stream';
import type { SecretStore } from './secret-store';

/**
 * The main-process side of the bridge. Every request is validated with the shared schemas:
 * the renderer is treated as untrusted, and only our own app:// page may call in.
 */
export function registerBridgeHandlers(secrets: SecretStore, defaultServerUrl: string | null): void {
  const handle = <T>(channel: string, handler: (args: unknown[], event: IpcMainInvokeEvent) => Promise<T> | T): void => {
    ipcMain.handle(channel, fromTheAppOnly(handler));
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
  handle(bridgeChannels.saveFile, ([request], event) => saveFileWithDialog(request, dialogPort(event)));

  // Streamed saves: each is bound to the window that began it, and removed if that window goes.
  const saves = streamedSaves(fileSystemSavePort());
  const watched = new Set<number>();
  handle(bridgeChannels.beginSave, ([request], event) => {
    const owner = event.sender.id;
    if (!watched.has(owner)) {
      watched.add(owner);
      event.sender.once('destroyed', () => {
        watched.delete(owner);
        void saves.abandonAllOf(owner);
      });
    }
    return saves.begin(request, owner, dialogPort(event));
  });
  handle(bridgeChannels.writeSave, ([request], event) => saves.write(request, event.sender.id));
  handle(bridgeChannels.finishSave, ([request], event) => saves.finish(request, event.sender.id));
}

/** The real dialog, attached to the window that asked, and the real file system. */
function dialogPort(event: IpcMainInvokeEvent): SaveFilePort {
  const owner = BrowserWindow.fromWebContents(event.sender);
  return {
    showSaveDialog: (options) => (owner ? dialog.showSaveDialog(owner, options) : dialog.showSaveDialog(options)),
    writeFile: (filePath, content) => (typeof content === 'string' ? writeFile(filePath, content, 'utf8') : writeFile(filePath, content)),
  };
}

export const ServerUrlArgument = z.string().url();

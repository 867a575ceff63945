import { contextBridge, ipcRenderer } from 'electron';
import {
  BRIDGE_GLOBAL,
  bridgeChannels,
  type AppInfo,
  type BeginSaveRequest,
  type BeginSaveResult,
  type FinishSaveRequest,
  type WriteSaveRequest,
  type CurrentPosition,
  type ReclaimBridge,
  type SaveFileRequest,
  type SaveFileResult,
  type SecretKey,
} from '../shared/bridge';

/**
 * Geolocation is a window API, so the preload reads it here rather than over IPC; the main
 * process's permission handler decides whether the app may. The timeout keeps a laptop with
 * no location service from leaving the planner waiting.
 */
function readPosition(): Promise<CurrentPosition> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) {
      resolve({ ok: false, reason: 'this device cannot tell its location' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ ok: true, lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: p.coords.accuracy }),
      (error) => resolve({ ok: false, reason: error.message || 'the location could not be read' }),
      { enableHighAccuracy: false, timeout: 8000, maximumAge: 5 * 60_000 },
    );
  });
}

// One named method per channel; ipcRenderer itself never reaches the page.
const bridge = {
  getAppInfo: (): Promise<AppInfo> => ipcRenderer.invoke(bridgeChannels.getAppInfo),
  getSecret: (key: SecretKey): Promise<string | null> => ipcRenderer.invoke(bridgeChannels.getSecret, key),
  setSecret: (key: SecretKey, value: string): Promise<void> =>
    ipcRenderer.invoke(bridgeChannels.setSecret, { key, value }),
  deleteSecret: (key: SecretKey): Promise<void> => ipcRenderer.invoke(bridgeChannels.deleteSecret, key),
  openExternal: (url: string): Promise<void> => ipcRenderer.invoke(bridgeChannels.openExternal, url),
  getCurrentPosition: readPosition,
  saveFile: (request: SaveFileRequest): Promise<SaveFileResult> => ipcRenderer.invoke(bridgeChannels.saveFile, request),
  beginSave: (request: BeginSaveRequest): Promise<BeginSaveResult> => ipcRenderer.invoke(bridgeChannels.beginSave, request),
  writeSave: (request: WriteSaveRequest): Promise<void> => ipcRenderer.invoke(bridgeChannels.writeSave, request),
  finishSave: (request: FinishSaveRequest): Promise<SaveFileResult> => ipcRenderer.invoke(bridgeChannels.finishSave, request),
} satisfies ReclaimBridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

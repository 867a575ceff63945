import { contextBridge, ipcRenderer } from 'electron';
import { BRIDGE_GLOBAL, bridgeChannels, type AppInfo, type ReclaimBridge, type SecretKey } from '../shared/bridge';

// One named method per channel; ipcRenderer itself never reaches the page.
const bridge = {
  getAppInfo: (): Promise<AppInfo> => ipcRenderer.invoke(bridgeChannels.getAppInfo),
  getSecret: (key: SecretKey): Promise<string | null> => ipcRenderer.invoke(bridgeChannels.getSecret, key),
  setSecret: (key: SecretKey, value: string): Promise<void> =>
    ipcRenderer.invoke(bridgeChannels.setSecret, { key, value }),
  deleteSecret: (key: SecretKey): Promise<void> => ipcRenderer.invoke(bridgeChannels.deleteSecret, key),
  openExternal: (url: string): Promise<void> => ipcRenderer.invoke(bridgeChannels.openExternal, url),
} satisfies ReclaimBridge;

contextBridge.exposeInMainWorld(BRIDGE_GLOBAL, bridge);

import type { ReclaimBridge } from '../../shared/bridge';

declare global {
  interface Window {
    /** Exposed by the Electron preload under BRIDGE_GLOBAL; absent in a plain browser. */
    reclaim?: ReclaimBridge;
  }
}

export {};

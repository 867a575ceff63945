import type { ReclaimBridge } from '../../shared/bridge';
import { BRIDGE_GLOBAL, bridgeChannels } from '../../shared/bridge';
import { createBrowserBridge } from './browser-bridge';

let bridge: ReclaimBridge | null = null;

/** Loose check: every contract method is present. The preload is ours, but it may be older. */
function isBridge(candidate: unknown): candidate is ReclaimBridge {
  if (typeof candidate !== 'object' || candidate === null) return false;
  return Object.keys(bridgeChannels).every(
    (method) => typeof (candidate as Record<string, unknown>)[method] === 'function',
  );
}

/** The platform the renderer runs on: Electron's preload when present, else web APIs. */
export function getBridge(): ReclaimBridge {
  if (bridge) return bridge;
  const exposed: unknown = (window as unknown as Record<string, unknown>)[BRIDGE_GLOBAL];
  bridge = isBridge(exposed) ? exposed : createBrowserBridge();
  return bridge;
}

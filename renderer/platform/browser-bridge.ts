import type { AppInfo, CurrentPosition, ReclaimBridge, SaveFileResult, SecretKey } from '../../shared/bridge';
import { ExternalUrl, SaveFileRequest } from '../../shared/bridge';
import { APP_VERSION } from '../../shared/version';

const secretPrefix = 'reclaim.secret.';

/**
 * The bridge when the renderer runs as a web app. Secrets sit in localStorage, readable by
 * anything running in this origin; Electron keeps them encrypted with safeStorage instead.
 * The CSP forbids foreign scripts, which is what keeps this acceptable for a session token.
 */
export function createBrowserBridge(): ReclaimBridge {
  return {
    async getAppInfo(): Promise<AppInfo> {
      const servedOverHttp = location.protocol === 'http:' || location.protocol === 'https:';
      return { platform: 'browser', appVersion: APP_VERSION, defaultServerUrl: servedOverHttp ? location.origin : null };
    },
    async getSecret(key: SecretKey): Promise<string | null> {
      return localStorage.getItem(secretPrefix + key);
    },
    async setSecret(key: SecretKey, value: string): Promise<void> {
      localStorage.setItem(secretPrefix + key, value);
    },
    async deleteSecret(key: SecretKey): Promise<void> {
      localStorage.removeItem(secretPrefix + key);
    },
    async openExternal(url: string): Promise<void> {
      window.open(ExternalUrl.parse(url), '_blank', 'noopener');
    },
    getCurrentPosition: readPosition,
    async saveFile(request): Promise<SaveFileResult> {
      const { suggestedName, mimeType, content } = SaveFileRequest.parse(request);
      // A browser offers no save dialog to a page: an anchor download is the standard way.
      const href = URL.createObjectURL(new Blob([content], { type: mimeType }));
      const anchor = document.createElement('a');
      anchor.href = href;
      anchor.download = suggestedName;
      anchor.rel = 'noopener';
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
      setTimeout(() => URL.revokeObjectURL(href), 30_000);
      return { saved: true, location: null };
    },
  };
}

/** Resolves with a reason when the user refuses or the device cannot tell, never hangs. */
function readPosition(): Promise<CurrentPosition> {
  return new Promise((resolve) => {
    if (!('geolocation' in navigator)) {
      resolve({ ok: false, reason: 'this browser cannot tell its location' });
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ ok: true, lat: p.coords.latitude, lon: p.coords.longitude, accuracyM: p.coords.accuracy }),
      (error) => resolve({ ok: false, reason: error.message || 'the location could not be read' }),
      { enableHighAccuracy: false, timeout: 8000, maximumAge: 5 * 60_000 },
    );
  });
}

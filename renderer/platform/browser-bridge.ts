import type { AppInfo, ReclaimBridge, SecretKey } from '../../shared/bridge';
import { ExternalUrl } from '../../shared/bridge';
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
  };
}

import type { AppInfo, BeginSaveResult, CurrentPosition, ReclaimBridge, SaveFileResult, SecretKey } from '../../shared/bridge';
import { BeginSaveRequest, ExternalUrl, FinishSaveRequest, SaveFileRequest, WriteSaveRequest } from '../../shared/bridge';
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
      download(new Blob([content], { type: mimeType }), suggestedName);
      return { saved: true, location: null };
    },
    async beginSave(request): Promise<BeginSaveResult> {
      const { suggestedName, mimeType } = BeginSaveRequest.parse(request);
      const streamId = crypto.randomUUID();
      streams.set(streamId, { suggestedName, mimeType, parts: [] });
      return { opened: true, streamId, location: null };
    },
    async writeSave(request): Promise<void> {
      const { streamId, chunk } = WriteSaveRequest.parse(request);
      const stream = streams.get(streamId);
      if (!stream) throw new Error('No such save is open; start the export again.');
      // Each chunk becomes its own Blob, which the browser may keep on disk rather than in the page.
      stream.parts.push(new Blob([chunk]));
    },
    async finishSave(request): Promise<SaveFileResult> {
      const { streamId, outcome } = FinishSaveRequest.parse(request);
      const stream = streams.get(streamId);
      streams.delete(streamId);
      if (!stream || outcome === 'abandon') return { saved: false, location: null };
      download(new Blob(stream.parts, { type: stream.mimeType }), stream.suggestedName);
      return { saved: true, location: null };
    },
  };
}

/**
 * A page offers no save dialog before a download starts: a streamed save gathers its chunks as
 * Blobs and becomes an ordinary download when complete (an abandoned one is simply dropped).
 */
const streams = new Map<string, { suggestedName: string; mimeType: string; parts: Blob[] }>();

function download(blob: Blob, suggestedName: string): void {
  const href = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = href;
  anchor.download = suggestedName;
  anchor.rel = 'noopener';
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
  setTimeout(() => URL.revokeObjectURL(href), 30_000);
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

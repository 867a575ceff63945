import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveAppFile } from '../../electron/app-files';
import {
  contentSecurityPolicy,
  isAppUrl,
  isPermissionGranted,
  secureWebPreferences,
} from '../../electron/security';

describe('the Electron window', () => {
  it('isolates the page from Node and Electron', () => {
    const preferences = secureWebPreferences('/app/preload.cjs');
    expect(preferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('runs scripts only from the app itself', () => {
    expect(contentSecurityPolicy).toContain("script-src 'self'");
    expect(contentSecurityPolicy).toContain("object-src 'none'");
    expect(contentSecurityPolicy).not.toContain('unsafe-eval');
  });

  it('treats only app://reclaim as the app', () => {
    expect(isAppUrl('app://reclaim/index.html')).toBe(true);
    expect(isAppUrl('app://evil/index.html')).toBe(false);
    expect(isAppUrl('https://reclaim/index.html')).toBe(false);
    expect(isAppUrl('file:///etc/passwd')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('grants the camera and location to the app and nothing to anyone else', () => {
    expect(isPermissionGranted('media', 'app://reclaim/')).toBe(true);
    expect(isPermissionGranted('geolocation', 'app://reclaim/')).toBe(true);
    expect(isPermissionGranted('notifications', 'app://reclaim/')).toBe(false);
    expect(isPermissionGranted('media', 'https://example.com/')).toBe(false);
  });

  it('serves files from the renderer folder and refuses paths that escape it', () => {
    const root = path.resolve('/srv/reclaim/renderer');
    expect(resolveAppFile(root, 'app://reclaim/')).toBe(path.join(root, 'index.html'));
    expect(resolveAppFile(root, 'app://reclaim/assets/app.js')).toBe(path.join(root, 'assets/app.js'));
    // The URL parser folds dot segments itself; whatever survives must stay inside the folder.
    for (const attempt of ['app://reclaim/%2e%2e/%2e%2e/secrets.json', 'app://reclaim/..%2F..%2Fsecrets.json']) {
      const resolved = resolveAppFile(root, attempt);
      expect(resolved === null || resolved.startsWith(root + path.sep)).toBe(true);
    }
    expect(resolveAppFile(root, 'app://reclaim/..%2F..%2Fsecrets.json')).toBeNull();
    expect(resolveAppFile(root, 'app://other/index.html')).toBeNull();
  });
});

describe('the Electron security scanner exceptions', () => {
  it('are backed by the real settings: the main window uses secureWebPreferences, which disables Auxclick', async () => {
    const { readFile } = await import('node:fs/promises');
    const main = await readFile(path.resolve('electron/main.ts'), 'utf8');
    expect(main).toMatch(/webPreferences: secureWebPreferences\(/);
    expect(main.match(/new BrowserWindow\(/g)).toHaveLength(1);
    expect(secureWebPreferences('/app/preload.cjs')).toMatchObject({ disableBlinkFeatures: 'Auxclick', contextIsolation: true, sandbox: true });
  });
});

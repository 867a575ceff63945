import path from 'node:path';
import { BrowserWindow, Menu, app, session } from 'electron';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { ServerUrlArgument, registerBridgeHandlers } from './ipc';
import { SecretStore } from './secret-store';
import { APP_ORIGIN, lockDownContents, lockDownSession, secureWebPreferences } from './security';

registerAppScheme();

/** `npm start` passes the server it started; a packaged app asks at sign-in. */
function configuredServerUrl(): string | null {
  const fromArgument = process.argv.find((arg) => arg.startsWith('--server-url='))?.slice('--server-url='.length);
  const candidate = fromArgument ?? process.env.RECLAIM_SERVER_URL;
  const parsed = ServerUrlArgument.safeParse(candidate);
  return parsed.success ? parsed.data : null;
}

function createMainWindow(): BrowserWindow {
  // The scanner reads this object literally and cannot see inside secureWebPreferences(), where
  // context isolation, the sandbox and Auxclick are set; tests/unit/electron-window-is-locked-down
  // checks those values and that this window uses them.
  const window = new BrowserWindow({ // eng-disable CONTEXT_ISOLATION_JS_CHECK SANDBOX_JS_CHECK AUXCLICK_JS_CHECK
    width: 1280,
    height: 820,
    minWidth: 960,
    minHeight: 600,
    title: 'Reclaim',
    show: false,
    webPreferences: secureWebPreferences(path.join(__dirname, 'preload.cjs')),
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(`${APP_ORIGIN}/index.html`);
  return window;
}

app.on('web-contents-created', (_event, contents) => lockDownContents(contents));

void app.whenReady().then(() => {
  lockDownSession(session.defaultSession);
  serveRenderer(path.join(__dirname, '..', 'renderer'));
  registerBridgeHandlers(new SecretStore(), configuredServerUrl());
  if (process.platform !== 'darwin') Menu.setApplicationMenu(null);
  createMainWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createMainWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

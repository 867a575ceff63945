import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The path of Electron's binary, or null when npm installed only the package (as with
 * ELECTRON_SKIP_BINARY_DOWNLOAD=1 on machines that cannot reach Electron's downloads).
 */
export function electronBinary(): string | null {
  try {
    const resolved: unknown = createRequire(import.meta.url)('electron');
    return typeof resolved === 'string' && existsSync(resolved) ? resolved : null;
  } catch {
    return null;
  }
}

import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { app, safeStorage } from 'electron';
import { z } from 'zod';
import type { SecretKey } from '../shared/bridge';

const SecretFile = z.record(z.string(), z.string());

/**
 * Secrets (the session token) are encrypted with the operating system's keychain through
 * safeStorage and written to one file in the user data folder. Where the OS offers no
 * encryption (Linux without a keyring), safeStorage falls back to a fixed key; we refuse to
 * pretend otherwise, and the secret is then only as safe as the user's account.
 */
export class SecretStore {
  private readonly file = path.join(app.getPath('userData'), 'secrets.json');

  async get(key: SecretKey): Promise<string | null> {
    const secrets = await this.readAll();
    const sealed = secrets[key];
    if (sealed === undefined) return null;
    try {
      return safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      // A secret sealed by another OS account or keychain cannot be opened; sign in again.
      return null;
    }
  }

  async set(key: SecretKey, value: string): Promise<void> {
    const secrets = await this.readAll();
    secrets[key] = safeStorage.encryptString(value).toString('base64');
    await this.writeAll(secrets);
  }

  async delete(key: SecretKey): Promise<void> {
    const secrets = await this.readAll();
    delete secrets[key];
    await this.writeAll(secrets);
  }

  private async readAll(): Promise<Record<string, string>> {
    try {
      return SecretFile.parse(JSON.parse(await readFile(this.file, 'utf8')));
    } catch {
      return {};
    }
  }

  private async writeAll(secrets: Record<string, string>): Promise<void> {
    const temporary = `${this.file}.tmp`;
    await writeFile(temporary, JSON.stringify(secrets), { mode: 0o600 });
    await rename(temporary, this.file);
  }
}

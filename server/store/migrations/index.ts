import type { Migration, MigrationProvider } from 'kysely';
import type { StoreKind } from '../dialect';
import { initialSchema } from './0001_initial';

/**
 * Migrations live in code (not read from disk) so the server runs the same from tsx, a bundle
 * or a packaged app. Names sort in order of application; the list is append-only.
 */
export function migrationProvider(kind: StoreKind): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initialSchema(kind),
      };
    },
  };
}

import type { Migration, MigrationProvider } from 'kysely';
import type { StoreKind } from '../dialect';
import { initialSchema } from './0001_initial';
import { doorAndCustodySchema } from './0002_door_and_custody';
import { dispatchSchema } from './0003_dispatch';
import { securitySchema } from './0004_security';
import { dispatchMapSchema } from './0005_dispatch_map';
import { clientRequirementsSchema } from './0006_client_requirements';
import { superviseSchema } from './0007_supervise';
import { personalPropertySchema } from './0008_personal_property';
import { sealedOfficeKeysSchema } from './0009_sealed_office_keys';
import { custodyLogSchema } from './0010_custody_log';
import { custodyRejectionsSchema } from './0011_custody_rejections';
import { documentSigningKeySchema } from './0012_document_signing_key';
import { blobAccessSchema } from './0013_blob_access';
import { changesLatestPerRecordSchema } from './0014_changes_latest_per_record';
import { officeQueriesSchema } from './0016_office_queries';
import { officeGroupSortsSchema } from './0017_office_group_sorts';
import { officeFilterIndexesSchema } from './0018_office_filter_indexes';
import { customerReceiptsSchema } from './0019_customer_receipts';
import { custodyEventColumnsSchema } from './0020_custody_event_columns';
import { dispatchMapPlaceSchema } from './0021_dispatch_map_place';

/**
 * Migrations live in code (not read from disk) so the server runs the same from tsx, a bundle
 * or a packaged app. Names sort in order of application; the list is append-only.
 */
export function migrationProvider(kind: StoreKind): MigrationProvider {
  return {
    async getMigrations(): Promise<Record<string, Migration>> {
      return {
        '0001_initial': initialSchema(kind),
        '0002_door_and_custody': doorAndCustodySchema(),
        '0003_dispatch': dispatchSchema(),
        '0004_security': securitySchema(),
        '0005_dispatch_map': dispatchMapSchema(),
        '0006_client_requirements': clientRequirementsSchema(),
        '0007_supervise': superviseSchema(),
        '0008_personal_property': personalPropertySchema(),
        '0009_sealed_office_keys': sealedOfficeKeysSchema(),
        '0010_custody_log': custodyLogSchema(),
        '0011_custody_rejections': custodyRejectionsSchema(),
        '0012_document_signing_key': documentSigningKeySchema(),
        '0013_blob_access': blobAccessSchema(kind),
        '0014_changes_latest_per_record': changesLatestPerRecordSchema(),
        '0016_office_queries': officeQueriesSchema(kind),
        '0017_office_group_sorts': officeGroupSortsSchema(),
        '0018_office_filter_indexes': officeFilterIndexesSchema(),
        '0019_customer_receipts': customerReceiptsSchema(kind),
        '0020_custody_event_columns': custodyEventColumnsSchema(kind),
        '0021_dispatch_map_place': dispatchMapPlaceSchema(kind),
      };
    },
  };
}

import type { Generated, GeneratedAlways } from 'kysely';
import type { BlobReferencesTable, BlobUploadsTable } from '../blobs/blob-access-tables';
import type { ClientRequirementsTable } from '../clients/client-requirements-table';
import type { DispatchAuditTable, JobAssignmentsTable, UserLastSyncTable } from '../dispatch/dispatch-tables';
import type { LoginThrottleTable } from '../security/security-tables';
import type { AuditLogTable, OfficeSigningKeysTable } from '../supervise/supervise-tables';
import type { CustodyLogHashesTable, CustodyLogTable, DeviceCertificatesTable, OrganisationTable, OrgSigningKeysTable } from '../trust/trust-tables';
import type { DocumentSigningKeysTable } from '../supervise/document-signing-key';

/**
 * The server's tables as Kysely sees them. Types are the lowest common denominator of SQLite
 * and PostgreSQL: timestamps are ISO-8601 UTC text (text order is time order), flags are 0/1
 * integers and structured fields are JSON text, so the same queries run on both stores.
 */
export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  disabled: number;
  created_at: string;
}

export interface SessionsTable {
  token_hash: string;
  user_id: string;
  device_id: string | null;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

export interface DevicesTable {
  id: string;
  user_id: string;
  name: string | null;
  last_seen_at: string;
  /** Set by an admin (migration 0004): the device's sessions are refused and it wipes itself. */
  revoked_at: string | null;
  revoked_by_user_id: string | null;
  /** Set by an admin (migration 0011): the next user to sign in on it may register it as theirs. */
  released_at: string | null;
  released_by_user_id: string | null;
}

export interface ClientsTable {
  id: string;
  name: string;
}

export interface JobsTable {
  id: string;
  client_id: string;
  account_ref: string;
  customer_json: string;
  address_json: string;
  time_zone: string;
  due_date: string | null;
  priority: string;
  appointment_json: string | null;
  instructions: string | null;
  items_json: string;
  status: string;
  assigned_agent_id: string | null;
  review_reason: string | null;
  /** Lower-cased customer name, address and serials: what the dispatcher's search box matches. */
  search_text: string;
  created_at: string;
  updated_at: string;
  version: number;
  /** Sort keys the database computes (migration 0016): lower-cased customer name, due date with undated last, workflow and urgency order. */
  sort_customer: GeneratedAlways<string | null>;
  sort_due: GeneratedAlways<string>;
  status_rank: GeneratedAlways<number>;
  priority_rank: GeneratedAlways<number>;
  /** The address's coordinates (migration 0021), both null unless the job has both: kept by the database. */
  map_lat: GeneratedAlways<number | null>;
  map_lon: GeneratedAlways<number | null>;
}

export interface JobStatusChangesTable {
  id: string;
  job_id: string;
  from_status: string;
  to_status: string;
  at: string;
  by_user_id: string;
  reason: string | null;
  hlc: string;
}

export interface JobNotesTable {
  id: string;
  job_id: string;
  text: string;
  at: string;
  by_user_id: string;
  hlc: string;
}

export interface AppliedMutationsTable {
  id: string;
  user_id: string;
  device_id: string;
  applied_at: string;
  outcome: string;
  result_json: string;
}

export interface ChangesTable {
  seq: Generated<number>;
  entity: string;
  entity_id: string;
  job_id: string;
  /** The agent this row is for; NULL is the office's copy of the log. */
  audience_user_id: string | null;
  op: string;
}

/** Visits, item reconciliations, photos and signatures: append-only, stored as validated JSON. */
export interface DoorRecordTable {
  id: string;
  job_id: string;
  data_json: string;
  hlc: string;
}

/** Events of what became of personal property: a door record that names its entry. */
export interface PersonalPropertyEventsTable extends DoorRecordTable {
  property_id: string;
}

/** Each client's contact line for customers (migration 0020): a ClientContact as JSON text. */
export interface ClientContactsTable {
  client_id: string;
  contact_json: string;
  updated_at: string;
  updated_by_user_id: string;
}

export interface DeviceKeysTable {
  id: string;
  device_id: string;
  user_id: string;
  public_key: string;
  created_at: string;
  registered_at: string;
}

export interface CustodyEventsTable {
  id: string;
  job_id: string;
  hash: string;
  kind: string;
  at: string;
  device_key_id: string;
  data_json: string;
  hlc: string;
  received_at: string;
  /*
   * Copies of signed fields for the CSV export (migration 0020). Null in a row an instance older
   * than 0020 wrote: `recorded_by_user_id` null means "read data_json instead".
   */
  from_role: string | null;
  from_name: string | null;
  to_role: string | null;
  to_name: string | null;
  lat: number | null;
  lon: number | null;
  seal_number: string | null;
  corrects_event_id: string | null;
  note: string | null;
  device_id: string | null;
  recorded_by_user_id: string | null;
  /** Space-separated, as the CSV prints them. */
  photo_hashes: string | null;
  signature_hashes: string | null;
}

export interface CustodyEventItemsTable {
  event_id: string;
  item_id: string;
  serial: string;
  previous_event_hash: string | null;
  /** The item's place in the event's list (migration 0020); null in rows written before it. */
  position: number | null;
}

export interface CustodyItemHeadsTable {
  item_id: string;
  event_hash: string;
}

/** A custody event refused from the chain (migration 0011), kept as it arrived with the rule that refused it. */
export interface CustodyRejectionsTable {
  id: string;
  event_id: string;
  job_id: string;
  event_json: string;
  pushed_by_user_id: string;
  device_id: string | null;
  code: string;
  reason: string;
  at: string;
}

export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  devices: DevicesTable;
  clients: ClientsTable;
  jobs: JobsTable;
  job_status_changes: JobStatusChangesTable;
  job_notes: JobNotesTable;
  applied_mutations: AppliedMutationsTable;
  changes: ChangesTable;
  visits: DoorRecordTable;
  item_reconciliations: DoorRecordTable;
  photos: DoorRecordTable;
  signatures: DoorRecordTable;
  device_keys: DeviceKeysTable;
  custody_events: CustodyEventsTable;
  custody_event_items: CustodyEventItemsTable;
  custody_item_heads: CustodyItemHeadsTable;
  custody_rejections: CustodyRejectionsTable;
  dispatch_audit: DispatchAuditTable;
  job_assignments: JobAssignmentsTable;
  user_last_sync: UserLastSyncTable;
  login_throttle: LoginThrottleTable;
  audit_log: AuditLogTable;
  office_signing_keys: OfficeSigningKeysTable;
  document_signing_keys: DocumentSigningKeysTable;
  client_requirements: ClientRequirementsTable;
  visit_departures: DoorRecordTable;
  personal_property: DoorRecordTable;
  personal_property_events: PersonalPropertyEventsTable;
  customer_receipts: DoorRecordTable;
  client_contacts: ClientContactsTable;
  blob_uploads: BlobUploadsTable;
  blob_references: BlobReferencesTable;
  organisation: OrganisationTable;
  org_signing_keys: OrgSigningKeysTable;
  device_certificates: DeviceCertificatesTable;
  custody_log: CustodyLogTable;
  custody_log_hashes: CustodyLogHashesTable;
}

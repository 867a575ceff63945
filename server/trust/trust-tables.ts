/** The trust model's tables (migration 0010), as Kysely sees them. */

/** One row, made at first start: the organisation's id names its custody log (the checkpoint origin). */
export interface OrganisationTable {
  /** Always 1. */
  singleton: number;
  id: string;
  created_at: string;
}

/**
 * The organisation's Ed25519 signing keys, newest generation current. The private half is PKCS#8
 * sealed with the key-encryption key (office-key-vault.ts), bound to its row and organisation.
 */
export interface OrgSigningKeysTable {
  id: string;
  generation: number;
  /** Raw 32-byte public key, standard base64. */
  public_key: string;
  private_key_sealed: string;
  created_at: string;
  retired_at: string | null;
  /** The rotation statement that brought this key in, signed by it and its predecessor. */
  rotation_note: string | null;
}

/** Certificates the organisation key issued for device keys; the newest revision of a key is its current one. */
export interface DeviceCertificatesTable {
  serial: string;
  device_key_id: string;
  revision: number;
  issued_at: string;
  not_after: string | null;
  /** The SignedDeviceCertificate as JSON. */
  signed_json: string;
}

/** The custody log's leaves, by position; leaf_json is the RFC 8785 text of the LogLeaf. */
export interface CustodyLogTable {
  leaf_index: number;
  event_id: string;
  leaf_json: string;
  logged_at: string;
}

/** The log's stored hashes in Go tlog's layout (storedHashIndex), lowercase hex. */
export interface CustodyLogHashesTable {
  hash_index: number;
  hash: string;
}

/**
 * What the signed PDF needs of the organisation key: its public description and a way to sign
 * with it. `context.orgKey` (server/trust/org-signing-key.ts) satisfies it; tests pass a
 * throwaway Ed25519 key. Kept this narrow so the document-signing certificate can be issued
 * without reaching into how the organisation key is stored or sealed.
 */
export interface OrgSigner {
  readonly info: {
    readonly algorithm: 'Ed25519';
    /** Raw 32-byte public key, standard base64. */
    readonly publicKey: string;
    /** Lowercase hex SHA-256 of the raw public key: what a verifier pins. */
    readonly fingerprint: string;
  };
  /** Ed25519 (RFC 8032) over exactly these bytes; 64 bytes back. */
  sign(bytes: Uint8Array): Promise<Uint8Array>;
}

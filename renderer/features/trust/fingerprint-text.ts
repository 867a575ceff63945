/** A fingerprint in groups of four, to read aloud or compare on paper: "1f4e 79a0 …". */
export function groupedFingerprint(fingerprint: string): string[] {
  return fingerprint.match(/.{1,4}/g) ?? [];
}

/** What a person may paste as a fingerprint: 64 hex digits, with spaces, colons or upper case as printed. */
export function normalizedFingerprint(input: string): string | null {
  const hex = input.replace(/[\s:]/g, '').toLowerCase();
  return /^[0-9a-f]{64}$/.test(hex) ? hex : null;
}

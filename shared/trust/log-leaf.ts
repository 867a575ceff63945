/**
 * What the custody log records for each accepted event: the RFC 8785 bytes of a small statement
 * that ties the event's hash to the moment the server accepted it. The event itself is signed by
 * the device; the leaf adds what the device cannot say about itself: that the server had it, at
 * which position, at what server time. Device time and log time are shown side by side.
 */
import { z } from 'zod';
import { canonicalize, utf8 } from '../custody/canonical-json';
import { Sha256Hex } from '../domain/visit';

/** A UTC time as the server writes it (ISO-8601 with Z): one spelling per instant. */
export const UtcTime = z.iso.datetime();

export const LOG_LEAF_FORMAT = 'reclaim-custody-log-leaf-v1';

export const LogLeaf = z.strictObject({
  format: z.literal(LOG_LEAF_FORMAT),
  eventId: z.uuid(),
  eventHash: Sha256Hex,
  jobId: z.uuid(),
  deviceKeyId: z.uuid(),
  loggedAt: UtcTime,
});
export type LogLeaf = z.infer<typeof LogLeaf>;

export function logLeafBytes(leaf: LogLeaf): Uint8Array<ArrayBuffer> {
  return utf8(canonicalize(LogLeaf.parse(leaf)));
}

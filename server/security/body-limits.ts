/**
 * Request body ceilings. Fastify refuses a larger body with 413 before parsing it, so an
 * oversized request costs the server neither memory nor a JSON parse.
 */
const MiB = 1024 * 1024;

/** Every JSON route unless it says otherwise: forms and small commands. */
export const JSON_BODY_LIMIT = 1 * MiB;
/** A sync push batch: 200 notes of 5,000 characters is ~1 MB of JSON; leave head-room. */
export const SYNC_PUSH_BODY_LIMIT = 8 * MiB;
/** A dispatch CSV import: tens of thousands of account rows. */
export const CSV_IMPORT_BODY_LIMIT = 10 * MiB;

/**
 * How much of a request the server reads, and for how long, before it answers with a problem
 * instead. Body sizes are in body-limits.ts.
 */
const KiB = 1024;

/**
 * The longest address (path and query) the server reads: the common ceiling of proxies
 * (nginx's default buffer is 8 KiB). The app's longest is a search, far shorter. Longer is 414.
 */
export const MAX_URL_BYTES = 8 * KiB;

/**
 * Every header line together, the request line included (Node's maxHeaderSize). Above the URL
 * ceiling so a long address gets its own 414, not a 431; a 16,000-character bearer token fits.
 */
export const MAX_HEADER_BYTES = 32 * KiB;

/** The longest single path parameter (a UUID is 36, a SHA-256 64); longer is 414 from the router. */
export const MAX_PARAM_LENGTH = 256;

export interface RequestLimits {
  /**
   * The whole request, headers and body, must arrive within this, or it is answered 408 and the
   * connection closed: a body that stops halfway must not hold a socket and memory for ever.
   * Generous for a 25 MiB photo over a weak uplink (the app gives an upload 120 s).
   */
  readonly requestTimeoutMs: number;
  /** Open live event streams per user; one more is answered 429 until one closes. */
  readonly liveStreamsPerUser: number;
  /**
   * A live stream that carried no event this long is closed; the app reconnects at once with
   * Last-Event-ID and loses nothing, and its session is checked again on the way in.
   */
  readonly liveStreamIdleMs: number;
}

export const defaultRequestLimits: RequestLimits = {
  requestTimeoutMs: 150_000,
  liveStreamsPerUser: 5,
  liveStreamIdleMs: 10 * 60_000,
};

/** How often Node looks for requests past their time: often enough that a 408 comes near its time. */
export function timeoutCheckIntervalMs(limits: RequestLimits): number {
  return Math.max(250, Math.min(30_000, Math.floor(limits.requestTimeoutMs / 5)));
}

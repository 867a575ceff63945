import { connect } from 'node:net';

/** One HTTP answer as it came off the wire, and whether it was whole. */
export interface RawAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The status line, the headers and as many body bytes as Content-Length promised all arrived. */
  readonly complete: boolean;
  /** The server closed the connection without a byte of answer. */
  readonly silent: boolean;
}

export interface RawRequest {
  /** Bytes to send as they are: the request line, headers and whatever part of a body. */
  readonly bytes: string | Buffer;
  /** Half-close the connection after sending: a client that went away mid-body. */
  readonly endAfterSending?: boolean;
  /** Give up after this long without the server closing (then the answer is what arrived). */
  readonly timeoutMs?: number;
}

/** The body of a chunked answer, and whether its last (empty) chunk arrived. */
function dechunk(bytes: Buffer): { body: Buffer; complete: boolean } {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', at);
    if (lineEnd === -1) return { body: Buffer.concat(parts), complete: false };
    const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size)) return { body: Buffer.concat(parts), complete: false };
    if (size === 0) return { body: Buffer.concat(parts), complete: bytes.indexOf('\r\n', lineEnd + 2) !== -1 };
    const start = lineEnd + 2;
    if (bytes.length < start + size + 2) return { body: Buffer.concat([...parts, bytes.subarray(start)]), complete: false };
    parts.push(bytes.subarray(start, start + size));
    at = start + size + 2;
  }
}

function parse(raw: Buffer): RawAnswer {
  const headEnd = raw.indexOf('\r\n\r\n');
  if (raw.length === 0) return { status: 0, headers: {}, body: '', complete: false, silent: true };
  if (headEnd === -1) return { status: 0, headers: {}, body: raw.toString('latin1'), complete: false, silent: false };
  const [statusLine = '', ...lines] = raw.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const bodyBytes = raw.subarray(headEnd + 4);
  const length = headers['content-length'];
  let body: Buffer = bodyBytes;
  let complete = status > 0;
  if (length !== undefined) {
    complete = complete && bodyBytes.length >= Number(length);
    body = bodyBytes.subarray(0, Number(length));
  } else if (headers['transfer-encoding'] === 'chunked') {
    const decoded = dechunk(bodyBytes);
    complete = complete && decoded.complete;
    body = decoded.body;
  }
  return { status, headers, body: body.toString('utf8'), complete, silent: false };
}

/**
 * Sends raw bytes to a server over a fresh TCP connection and reads until the server closes it
 * (or timeoutMs passes): for requests no HTTP client will send, such as half a body.
 */
export function rawExchange(url: string, request: RawRequest): Promise<RawAnswer> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: hostname, port: Number(port) });
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parse(Buffer.concat(chunks)));
    };
    const timer = setTimeout(finish, request.timeoutMs ?? 15_000);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', finish);
    // A reset after the answer arrived still leaves the answer; what arrived is what counts.
    socket.on('error', finish);
    socket.on('connect', () => {
      socket.write(request.bytes);
      if (request.endAfterSending) socket.end();
    });
  });
}

import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE } from '../../shared/api/problem';
import { MAX_HEADER_BYTES, MAX_URL_BYTES } from '../security/request-limits';
import { ProblemError } from './problem';

/** What Node's HTTP parser hands a clientError listener. */
export type ClientError = Error & { readonly code?: string; readonly rawPacket?: unknown };

/**
 * Whether a header overflow is the request line's doing: the packet starts a request and its
 * first line has not ended within the URL ceiling. Then the answer is 414, not 431.
 */
function isOverlongRequestLine(packet: unknown): boolean {
  if (!Buffer.isBuffer(packet) || !/^[A-Z]{3,12} /.test(packet.subarray(0, 13).toString('latin1'))) return false;
  const end = packet.indexOf('\r\n');
  return end === -1 || end > MAX_URL_BYTES;
}

function problemFor(error: ClientError): ProblemError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ProblemError(408, 'request_timeout', 'The request did not arrive in time, so the server stopped waiting for it. Send it again.');
    case 'HPE_HEADER_OVERFLOW':
      return isOverlongRequestLine(error.rawPacket)
        ? new ProblemError(414, 'uri_too_long', `The address is too long: the server reads at most ${MAX_URL_BYTES / 1024} KiB of path and query.`)
        : new ProblemError(431, 'headers_too_large', `The request headers are too large: the server reads at most ${MAX_HEADER_BYTES / 1024} KiB of them.`);
    case 'HPE_INVALID_EOF_STATE':
      return new ProblemError(400, 'validation', 'The connection ended before the request did: its body is shorter than its Content-Length or chunks promised.');
    default:
      return new ProblemError(400, 'validation', 'The request is not valid HTTP/1.1, so the server cannot read it.');
  }
}

/**
 * Node's HTTP server finds some failures before Fastify ever sees a request: headers larger than
 * maxHeaderSize, a request that did not arrive within requestTimeout, bytes that are not HTTP.
 * It hands them to this listener with the raw socket; the answer is written here, as a complete
 * problem+json response, and the connection is closed. An answer is only written when no
 * response on this socket has begun, or the two would interleave on the wire.
 */
export function answerClientError(error: ClientError, socket: Socket): void {
  // The peer went away: there is no one to answer.
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  // Node's own handler looks at the same field: the response a request on this socket is writing.
  const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage;
  if (!socket.writable || inFlight?.headersSent) {
    socket.destroy();
    return;
  }
  const problem = problemFor(error);
  const body = JSON.stringify(problem.toProblem());
  const head = [
    `HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status] ?? 'Error'}`,
    `content-type: ${PROBLEM_CONTENT_TYPE}`,
    `content-length: ${Buffer.byteLength(body)}`,
    'cache-control: no-store',
    'x-content-type-options: nosniff',
    'connection: close',
  ].join('\r\n');
  // end(), not write() and destroy(): the answer is flushed before the FIN, and whatever the
  // client still sends is read and dropped, so no reset overtakes the answer on the wire.
  socket.on('data', () => {});
  socket.end(`${head}\r\n\r\n${body}`);
  // A peer that never reads or closes does not keep the socket.
  setTimeout(() => socket.destroy(), 5_000).unref();
}

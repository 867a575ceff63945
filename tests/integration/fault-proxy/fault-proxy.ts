import { request as httpRequest, createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * What can go wrong between a laptop and the sync server, as one real HTTP hop:
 * - `drop-request`: the connection dies before the server sees anything;
 * - `cut-request`: the server receives half the body, then the connection dies;
 * - `drop-response`: the server acts, then the connection dies before the answer arrives;
 * - `cut-response`: the status line and half the answer arrive, then the connection dies;
 * - `duplicate`: the request reaches the server twice, at the same time (a client or proxy retry);
 * - `delay`: the request waits a while first, so concurrent requests overtake each other.
 */
export const faultKinds = ['drop-request', 'cut-request', 'drop-response', 'cut-response', 'duplicate', 'delay'] as const;
export type FaultKind = (typeof faultKinds)[number];

export type FaultRates = Partial<Record<FaultKind, number>>;

export interface FaultProxyOptions {
  /** Where requests go; read per request, so a restarted server on a new port can be followed. */
  target: () => string;
  /** Seeded randomness decides every fault, so a failing run can be replayed. */
  random: () => number;
  rates?: FaultRates;
  maxDelayMs?: number;
}

export interface FaultProxy {
  readonly url: string;
  /** Faults are only injected while this is set; `{}` passes everything through. */
  setRates(rates: FaultRates): void;
  /** Makes the very next request suffer this fault, whatever the rates say. */
  forceNext(fault: FaultKind): void;
  /** How often each fault was injected, and how many requests passed cleanly. */
  readonly counts: Readonly<Record<FaultKind | 'clean', number>>;
  close(): Promise<void>;
}

interface Upstream {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function readBody(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Hop-by-hop headers are the proxy's own business, not forwarded. */
function forwardable(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  const { connection: _c, 'keep-alive': _k, 'transfer-encoding': _t, host: _h, ...rest } = headers;
  return rest;
}

function send(target: string, incoming: IncomingMessage, body: Buffer, cutAfter: number | null = null): Promise<Upstream> {
  const url = new URL(incoming.url ?? '/', target);
  return new Promise((resolve, reject) => {
    const upstream = httpRequest(
      url,
      { method: incoming.method, headers: { ...forwardable(incoming.headers), 'content-length': String(body.length) }, agent: false },
      (response) => {
        readBody(response).then((buffer) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: buffer }), reject);
      },
    );
    upstream.on('error', reject);
    if (cutAfter === null) {
      upstream.end(body);
      return;
    }
    // Half the body, a moment for it to reach the server, then the wire is cut.
    upstream.write(body.subarray(0, cutAfter));
    setTimeout(() => {
      upstream.destroy();
      reject(new Error('request cut by the fault proxy'));
    }, 20);
  });
}

/**
 * A real node:http proxy between the app's sync engine and the sync server, injecting the
 * faults above at seeded rates. The client sees exactly what it would see on a bad network:
 * a reset connection, a truncated answer, or a late one.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  let rates: FaultRates = options.rates ?? {};
  let forced: FaultKind | null = null;
  const maxDelayMs = options.maxDelayMs ?? 40;
  const counts: Record<FaultKind | 'clean', number> = { clean: 0, 'drop-request': 0, 'cut-request': 0, 'drop-response': 0, 'cut-response': 0, duplicate: 0, delay: 0 };
  const sockets = new Set<Socket>();

  function pick(): FaultKind | null {
    if (forced) {
      const fault = forced;
      forced = null;
      return fault;
    }
    for (const kind of faultKinds) {
      if (options.random() < (rates[kind] ?? 0)) return kind;
    }
    return null;
  }

  function reply(res: ServerResponse, upstream: Upstream): void {
    res.writeHead(upstream.status, { ...forwardable(upstream.headers), 'content-length': String(upstream.body.length) });
    res.end(upstream.body);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    const fault = pick();
    counts[fault ?? 'clean'] += 1;
    const target = options.target();
    const kill = (): void => {
      req.socket.destroy();
    };
    try {
      switch (fault) {
        case 'drop-request':
          return kill();
        case 'cut-request':
          await send(target, req, body, Math.floor(body.length / 2)).catch(() => undefined);
          return kill();
        case 'drop-response':
          await send(target, req, body);
          return kill();
        case 'cut-response': {
          const upstream = await send(target, req, body);
          res.writeHead(upstream.status, { ...forwardable(upstream.headers), 'content-length': String(upstream.body.length) });
          res.write(upstream.body.subarray(0, Math.floor(upstream.body.length / 2)));
          setTimeout(kill, 5);
          return;
        }
        case 'duplicate': {
          const [, second] = await Promise.all([send(target, req, body).catch(() => null), send(target, req, body)]);
          return reply(res, second);
        }
        case 'delay':
          await new Promise((resolve) => setTimeout(resolve, 1 + Math.floor(options.random() * maxDelayMs)));
          return reply(res, await send(target, req, body));
        case null:
          return reply(res, await send(target, req, body));
      }
    } catch {
      // The server is down or hung up: to the client that is a dead connection, as with a real gateway.
      kill();
    }
  }

  const server = createServer((req, res) => void handle(req, res));
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    setRates(next) {
      rates = next;
    },
    forceNext(fault) {
      forced = fault;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

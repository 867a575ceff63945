import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Insertable, Kysely } from 'kysely';
import type { AuditEntry, AuditSearchQuery } from '../../shared/supervise/supervise-api';
import { newId } from '../../shared/ids';
import { knownCaller } from '../auth/authenticate';
import type { ServerContext } from '../context';
import { insertAtCommit } from '../store/change-log';
import { groupWriter } from '../store/group-writer';
import type { Database } from '../store/schema';
import { csvLine } from './custody-csv';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Reads that hand evidence or the log itself out of the server are audited like writes. */
const auditedReads = /^\/api\/v1\/(custody\/export\/|audit\/export)/;
/** Refusals of who is asking (sign in, not allowed) are audited whatever the method: probing shows here. */
const refusalStatuses = new Set([401, 403]);

/**
 * The organisation-wide audit log: one row per write request, whatever its outcome. The
 * dispatch audit (dispatch_audit) keeps the domain detail of office changes; this log answers
 * "who did what, from where" for every write, sign-ins and sync pushes included.
 */
export function auditLog(db: Kysely<Database>) {
  return {
    async search(query: Omit<AuditSearchQuery, 'limit' | 'offset'> & { limit: number; offset: number }): Promise<AuditEntry[]> {
      let select = db.selectFrom('audit_log').selectAll();
      if (query.userId) select = select.where('user_id', '=', query.userId);
      if (query.route) select = select.where('route', '=', query.route);
      if (query.from) select = select.where('at', '>=', query.from);
      if (query.to) select = select.where('at', '<=', query.to);
      const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).offset(query.offset).execute();
      return rows.map((row) => ({
        id: row.id, at: row.at, userId: row.user_id, username: row.username, role: row.role, deviceId: row.device_id,
        method: row.method, route: row.route, path: row.path, status: Number(row.status), address: row.address,
      }));
    },
  };
}

export const auditCsvHeader = ['at', 'username', 'role', 'device_id', 'method', 'route', 'path', 'status', 'address', 'user_id', 'id'];

export function auditCsvLine(entry: AuditEntry): string {
  return csvLine([entry.at, entry.username, entry.role, entry.deviceId, entry.method, entry.route, entry.path, entry.status, entry.address, entry.userId, entry.id]);
}

type AuditLine = Insertable<Database['audit_log']>;

function auditLine(context: ServerContext, request: FastifyRequest, status: number): AuditLine {
  const principal = request.principal ?? knownCaller(request);
  const path = request.url.split('?')[0] ?? request.url;
  return {
    id: newId(),
    at: context.now().toISOString(),
    user_id: principal?.userId ?? null,
    username: principal?.username ?? null,
    role: principal?.role ?? null,
    device_id: principal?.deviceId ?? null,
    method: request.method,
    route: request.routeOptions.url ?? 'unmatched',
    path: path.slice(0, 500),
    status,
    address: request.ip ?? null,
  };
}

/** Requests whose audit line went in with their own write transaction, and the status it records. */
const recordedInTransaction = new WeakMap<FastifyRequest, number>();

/**
 * A write route's audit line, written inside the route's own write transaction with the status the
 * route answers when that transaction commits (200 unless given): the write and its line commit
 * together, one commit where there were two. On PostgreSQL the line also goes in the
 * transaction's last statement (change-log.ts insertAtCommit), so it costs no round trip either.
 * A sync push, the request laptops send most, spent a second commit (a WAL flush on PostgreSQL,
 * an fsync on SQLite) and a round trip on its line alone.
 *
 * Call `write(trx)` as the transaction's work ends, and `committed()` once it has committed:
 * recordWrites then writes no second line, unless the answer's status turns out different (a
 * failure after the commit), which gets a line of its own as every answer does. A transaction that
 * rolls back takes its line with it, and the error's answer is recorded as usual. If the line
 * cannot be written, neither is the write: the caller sees the failure and sends it again (a
 * laptop keeps its outbox), where before the write stood and the line was lost.
 */
export function auditLineInTransaction(context: ServerContext, request: FastifyRequest, status = 200) {
  return {
    write: (trx: Kysely<Database>) => insertAtCommit(trx, trx.insertInto('audit_log').values(auditLine(context, request, status))),
    committed: () => {
      recordedInTransaction.set(request, status);
    },
  };
}

/**
 * Records every answered write, every export and every refusal (401, 403), before the answer
 * leaves (onSend, not onResponse): a caller that has its answer can already find it in the log.
 * A refusal is recorded under the user the token named when it named one (a disabled account,
 * a revoked device, an expired session, a role without the right). A failure to record is
 * logged, never turned into the answer; a write that recorded its line in its own transaction
 * (auditLineInTransaction) fails with it instead.
 */
export function recordWrites(app: FastifyInstance, context: ServerContext): void {
  // Concurrent requests' lines share one INSERT; each request still waits for its own (see groupWriter).
  const lines = groupWriter<AuditLine>(async (rows) => {
    await context.store.db.insertInto('audit_log').values(rows).execute();
  });
  app.addHook('onSend', async (request, reply, payload) => {
    const route = request.routeOptions.url ?? 'unmatched';
    if (!writeMethods.has(request.method) && !auditedReads.test(route) && !refusalStatuses.has(reply.statusCode)) return payload;
    if (recordedInTransaction.get(request) === reply.statusCode) return payload;
    try {
      await lines.write(auditLine(context, request, reply.statusCode));
    } catch (error) {
      request.log.error({ err: error }, 'the audit log could not record a write');
    }
    return payload;
  });
}

import { z } from 'zod';
import { AuditSearchQuery, AuditSearchResult, CustodyCsvQuery, CustodyExportQuery, CustodySearchQuery, CustodySearchResult, DashboardFigures, ItemTimeline } from '../../shared/supervise/supervise-api';
import type { ServerContext } from '../context';
import type { ApiRouter } from '../http/api-router';
import { problems } from '../http/problem';
import { doorServices } from '../visits/door-services';
import { auditCsvHeader, auditCsvLine, auditLog } from './audit-log';
import { custodyBundleZip, prepareCustodyBundle } from './custody-bundle-export';
import { custodyCsv, csvLine } from './custody-csv';
import { signedCustodyReport } from './signed-custody-report';
import { loadCustodyRecord } from './custody-record';
import { custodySearch, deviceNames, userNames } from './custody-search';
import { dashboardFigures } from './dashboard';
import { recordDisposition } from './disposition';
import { DispositionRequest } from '../../shared/supervise/disposition';
import { CustodyEvent } from '../../shared/custody/custody-event';
import { startedStream } from '../http/streamed-export';

const ItemParams = z.object({ itemId: z.uuid() });
const DashboardQuery = z.object({ days: z.coerce.number().int().min(1).max(365).default(28) });

function scopeOf(query: CustodyExportQuery): { jobId: string } | { itemId: string } {
  if (query.jobId && !query.itemId) return { jobId: query.jobId };
  if (query.itemId && !query.jobId) return { itemId: query.itemId };
  throw problems.validation('Name a job (jobId) or an item (itemId), not both and not neither.', []);
}

function fileStamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/[:T]/g, '-');
}

export function registerSuperviseRoutes(api: ApiRouter, context: ServerContext): void {
  const { db } = context.store;
  const search = custodySearch(db, doorServices(context).subtle);

  api.route({
    method: 'GET',
    url: '/api/v1/custody/search',
    summary: 'Items with a custody record, by serial, asset tag, job, customer, client, agent, job status and date range',
    tag: 'supervise',
    action: 'custody.read',
    query: CustodySearchQuery,
    response: { status: 200, description: 'Matching items, most recent custody first', schema: CustodySearchResult },
    handler: async ({ query }) => search.search(query),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/items/:itemId',
    summary: "An item's custody timeline with the server's verification verdict",
    tag: 'supervise',
    action: 'custody.read',
    params: ItemParams,
    response: { status: 200, description: 'The timeline, oldest first', schema: ItemTimeline },
    handler: async ({ params }) => {
      const item = await search.item(params.itemId);
      if (!item) throw problems.notFound('No custody record names this item.');
      const record = await search.jobRecord(item.jobId);
      const names = await userNames(db);
      const events = record.events.filter((event) => event.items.some((candidate) => candidate.itemId === params.itemId));
      const userIds = new Set(events.flatMap((event) => [event.recordedByUserId, event.from.userId, event.to.userId]).filter((id): id is string => id !== null));
      const devices = await deviceNames(db, [...new Set(events.map((event) => event.deviceId))]);
      return { item, events, deviceKeys: record.deviceKeys, users: Object.fromEntries([...userIds].map((id) => [id, names.get(id) ?? id])), devices: Object.fromEntries(devices), verdict: record.verdict };
    },
  });

  api.route({
    method: 'POST',
    url: '/api/v1/custody/items/:itemId/disposition',
    summary: "Records an item's final disposition (returned, redeployed, remarketed, recycled, destroyed) as the last event of its chain, with a NIST SP 800-88 sanitization certificate for data-bearing devices",
    tag: 'supervise',
    action: 'custody.dispose',
    problems: [409],
    params: ItemParams,
    body: DispositionRequest,
    response: { status: 201, description: 'The signed custody event', schema: CustodyEvent },
    handler: async ({ params, body, principal }) => recordDisposition(context, principal, params.itemId, body),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/export/bundle',
    summary: "A job's or an item's custody record as a zip anyone can verify without the server",
    tag: 'supervise',
    action: 'custody.export',
    problems: [404],
    query: CustodyExportQuery,
    response: { status: 200, description: 'application/zip', binary: true },
    handler: async ({ query, principal, reply }) => {
      const record = await loadCustodyRecord(context, scopeOf(query));
      if (!record) throw problems.notFound('No such job or item.');
      const name = `custody-${record.jobs[0]?.accountRef ?? 'record'}-${fileStamp(context.now())}.zip`.replace(/[^\w.-]/g, '_');
      const { built } = await prepareCustodyBundle(context, record, principal);
      return reply.code(200).type('application/zip').header('content-disposition', `attachment; filename="${name}"`).send(custodyBundleZip(built));
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/export/pdf',
    summary: "A job's or an item's chain-of-custody record as PDF: timeline, parties, signatures, photos, hashes, QR code",
    tag: 'supervise',
    action: 'custody.export',
    problems: [404],
    query: CustodyExportQuery,
    response: { status: 200, description: 'application/pdf', binary: true },
    handler: async ({ query, principal, reply }) => {
      const record = await loadCustodyRecord(context, scopeOf(query));
      if (!record) throw problems.notFound('No such job or item.');
      const name = `custody-${record.jobs[0]?.accountRef ?? 'record'}-${fileStamp(context.now())}.pdf`.replace(/[^\w.-]/g, '_');
      const report = await signedCustodyReport(context, record, principal, name.replace(/\.pdf$/, '.zip'));
      return reply
        .code(200)
        .type('application/pdf')
        .header('content-length', String(report.size))
        .header('content-disposition', `attachment; filename="${name}"`)
        .send(report.open());
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/custody/export/csv',
    summary: 'Custody events matching a search (one row per event and item) as CSV for spreadsheets, streamed',
    tag: 'supervise',
    action: 'custody.export',
    query: CustodyCsvQuery,
    response: { status: 200, description: 'text/csv', binary: true },
    handler: async ({ query, reply }) => {
      return reply
        .code(200)
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="custody-events-${fileStamp(context.now())}.csv"`)
        .send(await custodyCsv(db, query));
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/audit',
    summary: 'The audit log of every write: who, role, device, when, what and from which address',
    tag: 'supervise',
    action: 'audit.read',
    query: AuditSearchQuery,
    response: { status: 200, description: 'Entries, newest first', schema: AuditSearchResult },
    handler: async ({ query }) => ({ entries: await auditLog(db).search(query) }),
  });

  api.route({
    method: 'GET',
    url: '/api/v1/audit/export.csv',
    summary: 'The audit log as CSV (same filters as the search, up to 100,000 entries)',
    tag: 'supervise',
    action: 'audit.read',
    query: AuditSearchQuery.omit({ limit: true, offset: true }),
    response: { status: 200, description: 'text/csv', binary: true },
    handler: async ({ query, reply }) => {
      async function* lines(): AsyncGenerator<string> {
        // The header travels with the first page, read before the answer starts (startedStream).
        let header = csvLine(auditCsvHeader);
        for (let offset = 0; offset < 100_000; offset += 1000) {
          const entries = await auditLog(db).search({ ...query, limit: 1000, offset });
          yield header + entries.map(auditCsvLine).join('');
          header = '';
          if (entries.length < 1000) return;
        }
      }
      const csv = await startedStream(lines());
      return reply.code(200).type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="audit-${fileStamp(context.now())}.csv"`).send(csv);
    },
  });

  api.route({
    method: 'GET',
    url: '/api/v1/supervise/dashboard',
    summary: 'Recoveries per day and per agent, recovery rate, items outstanding by client, days from assignment to recovery',
    tag: 'supervise',
    action: 'reports.read',
    query: DashboardQuery,
    response: { status: 200, description: 'The figures', schema: DashboardFigures },
    handler: async ({ query }) => dashboardFigures(db, context.now(), query.days),
  });
}

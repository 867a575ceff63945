import { z } from 'zod';
import { CustodyEvent, DeviceKey } from '../custody/custody-event';
import { IsoDateTime, ItemType } from '../domain/job';
import { JobStatus } from '../domain/job-status';

/** What a supervisor can narrow custody records by; every field is optional and they combine. */
export const CustodySearchQuery = z.object({
  serial: z.string().trim().min(1).max(80).optional(),
  assetTag: z.string().trim().min(1).max(80).optional(),
  jobId: z.uuid().optional(),
  customer: z.string().trim().min(1).max(200).optional(),
  client: z.string().trim().min(1).max(200).optional(),
  agentId: z.uuid().optional(),
  status: JobStatus.optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type CustodySearchQuery = z.infer<typeof CustodySearchQuery>;

/** One item with a custody record. */
export const CustodySearchHit = z.object({
  itemId: z.uuid(),
  serial: z.string(),
  assetTag: z.string().nullable(),
  description: z.string(),
  /** The expected item's type (a laptop, a modem…); null for an item found that was not expected. */
  itemType: ItemType.nullable(),
  jobId: z.uuid(),
  accountRef: z.string(),
  clientName: z.string(),
  customerName: z.string(),
  jobStatus: z.string(),
  agentId: z.uuid().nullable(),
  agentName: z.string().nullable(),
  events: z.number().int(),
  firstEventAt: IsoDateTime,
  lastEventAt: IsoDateTime,
  lastEventKind: z.string(),
});
export type CustodySearchHit = z.infer<typeof CustodySearchHit>;

export const CustodySearchResult = z.object({ hits: z.array(CustodySearchHit), total: z.number().int() });
export type CustodySearchResult = z.infer<typeof CustodySearchResult>;

/** The verifier's answer in words a person acts on: which event (1-based) broke and why. */
export const RecordVerdict = z.union([
  z.object({ intact: z.literal(true), events: z.number().int(), finalHash: z.string().nullable() }),
  z.object({
    intact: z.literal(false),
    eventNumber: z.number().int().nullable(),
    eventId: z.string().nullable(),
    problem: z.string(),
    reason: z.string(),
  }),
]);
export type RecordVerdict = z.infer<typeof RecordVerdict>;

export const ItemTimeline = z.object({
  item: CustodySearchHit,
  /** This item's events, oldest first. */
  events: z.array(CustodyEvent),
  deviceKeys: z.array(DeviceKey),
  /** People named by user id in the events (agents, clerks), for display. */
  users: z.record(z.string(), z.string()),
  /** Devices named by id in the events, by the name people know them by ("Marcus Bell's laptop"). */
  devices: z.record(z.string(), z.string()).optional(),
  /** The verdict over the job's whole record, which this item's chain is part of. */
  verdict: RecordVerdict,
});
export type ItemTimeline = z.infer<typeof ItemTimeline>;

/** A job's or an item's record; exactly one of the two is named (the server says so if not). */
export const CustodyExportQuery = z.object({
  jobId: z.uuid().optional(),
  itemId: z.uuid().optional(),
});
export type CustodyExportQuery = z.infer<typeof CustodyExportQuery>;

export const CustodyCsvQuery = CustodySearchQuery.omit({ limit: true, offset: true });
export type CustodyCsvQuery = z.infer<typeof CustodyCsvQuery>;

export const AuditEntry = z.object({
  id: z.string(),
  at: IsoDateTime,
  userId: z.string().nullable(),
  username: z.string().nullable(),
  role: z.string().nullable(),
  deviceId: z.string().nullable(),
  method: z.string(),
  route: z.string(),
  path: z.string(),
  status: z.number().int(),
  address: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const AuditSearchQuery = z.object({
  userId: z.uuid().optional(),
  route: z.string().trim().min(1).max(200).optional(),
  from: IsoDateTime.optional(),
  to: IsoDateTime.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type AuditSearchQuery = z.infer<typeof AuditSearchQuery>;

export const AuditSearchResult = z.object({ entries: z.array(AuditEntry) });

export const DashboardFigures = z.object({
  since: IsoDateTime,
  recoveriesPerDay: z.array(z.object({ day: z.string(), items: z.number().int() })),
  recoveriesPerAgent: z.array(z.object({ agentId: z.string().nullable(), agentName: z.string(), items: z.number().int() })),
  /** Items recovered over items expected on jobs that have been worked (not new or assigned). */
  recoveryRate: z.number().nullable(),
  outstandingByClient: z.array(z.object({ clientName: z.string(), items: z.number().int() })),
  averageDaysAssignmentToRecovery: z.number().nullable(),
});
export type DashboardFigures = z.infer<typeof DashboardFigures>;

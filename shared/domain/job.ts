import { z } from 'zod';
import { isKnownTimeZone } from './time-zone';
import { JobStatus } from './job-status';
import { ClientContact } from './client-contact';
import { ClientRequirements } from './client-requirements';

export const itemTypes = [
  'modem',
  'router',
  'set_top_box',
  'laptop',
  'desktop',
  'phone',
  'tablet',
  'copier',
  'printer',
  'medical_device',
  'tool',
  'vehicle',
  'other',
] as const;
export const ItemType = z.enum(itemTypes);
export type ItemType = z.infer<typeof ItemType>;

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const Priority = z.enum(priorities);
export type Priority = z.infer<typeof Priority>;

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');
export const IsoDateTime = z.iso.datetime({ offset: true });
export const TimeZone = z.string().refine(isKnownTimeZone, { message: 'unknown time zone' });

export const ExpectedItem = z.object({
  id: z.uuid(),
  type: ItemType,
  make: z.string().max(80),
  model: z.string().max(80),
  serial: z.string().min(1).max(80),
  assetTag: z.string().max(80).nullable(),
});
export type ExpectedItem = z.infer<typeof ExpectedItem>;

export const Customer = z.object({
  name: z.string().min(1).max(200),
  phones: z.array(z.string().min(3).max(40)).max(5),
  email: z.email().max(200).nullable(),
});
export type Customer = z.infer<typeof Customer>;

export const Address = z.object({
  line1: z.string().min(1).max(200),
  line2: z.string().max(200).nullable(),
  city: z.string().min(1).max(100),
  region: z.string().max(100),
  postalCode: z.string().max(20),
  country: z.string().length(2),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
});
export type Address = z.infer<typeof Address>;

export const AppointmentWindow = z
  .object({ start: IsoDateTime, end: IsoDateTime })
  .refine((w) => Date.parse(w.start) < Date.parse(w.end), { message: 'the window must end after it starts' });
export type AppointmentWindow = z.infer<typeof AppointmentWindow>;

/** What a job is about, as the office writes it. */
export const JobFields = z.object({
  clientId: z.uuid(),
  clientName: z.string().min(1).max(200),
  accountRef: z.string().min(1).max(80),
  customer: Customer,
  address: Address,
  timeZone: TimeZone,
  dueDate: IsoDate.nullable(),
  priority: Priority,
  appointment: AppointmentWindow.nullable(),
  instructions: z.string().max(2000).nullable(),
  items: z.array(ExpectedItem).min(1).max(50),
});
export type JobFields = z.infer<typeof JobFields>;

export const Job = JobFields.extend({
  id: z.uuid(),
  status: JobStatus,
  assignedAgentId: z.uuid().nullable(),
  /** Set by the merge rules when a field fact met an office change; cleared by review. */
  reviewReason: z.string().nullable(),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
  /** The server's row version, bumped on every change. */
  version: z.number().int().nonnegative(),
  /**
   * The client's evidence checklist, sent with the job when the client set one. Optional so
   * older servers and clients keep talking; absent means the default requirements apply.
   */
  clientRequirements: ClientRequirements.optional(),
  /** How the customer reaches the client, printed on the door receipt; absent when the client set none. */
  clientContact: ClientContact.optional(),
});
export type Job = z.infer<typeof Job>;

export const JobStatusChange = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  from: JobStatus,
  to: JobStatus,
  at: IsoDateTime,
  byUserId: z.uuid(),
  reason: z.string().max(500).nullable(),
});
export type JobStatusChange = z.infer<typeof JobStatusChange>;

export const JobNote = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  text: z.string().trim().min(1, 'a note cannot be empty').max(5000),
  at: IsoDateTime,
  byUserId: z.uuid(),
});
export type JobNote = z.infer<typeof JobNote>;

export const Client = z.object({
  id: z.uuid(),
  name: z.string().min(1).max(200),
});
export type Client = z.infer<typeof Client>;

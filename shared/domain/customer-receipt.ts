import { z } from 'zod';
import type { CustodyEvent } from '../custody/custody-event';
import { clientContactLine, type ClientContact } from './client-contact';
import { readRefusalNote, refusalKindWords } from './customer-refusal';
import type { ItemReconciliation, Signature } from './evidence';
import { IsoDateTime, type ExpectedItem } from './job';
import type { PersonalPropertyEntry, PersonalPropertyState } from './personal-property';
import { momentText, zoneName, type TimeTextContext } from './time-text';
import { isoWithOffset } from './time-zone';
import { Sha256Hex } from './visit';

/**
 * The receipt an agent leaves at the door: what was taken, with serials; the customer's
 * belongings found and what became of them; a refusal to sign; who took it, for which account,
 * when (in the customer's zone); and how to reach the lessor. Customers ask "what did you take?"
 * and this answers it on paper.
 *
 * The PDF is made on the laptop, offline, and kept as a content-addressed blob like a photo; this
 * record names it (sha256) and travels through the outbox. Append-only: a receipt is never
 * edited; a second receipt for the same visit (more was collected) is a new record and number.
 */
/** The receipt's words, section by section, as printed on the PDF. */
export const ReceiptContentSchema = z.object({
  title: z.string().max(200),
  number: z.string().max(40),
  sections: z.array(z.object({ heading: z.string().max(300), lines: z.array(z.string().max(2000)).max(100) })).max(12),
});

export const CustomerReceipt = z.object({
  id: z.uuid(),
  jobId: z.uuid(),
  visitId: z.uuid(),
  /** What the customer reads and quotes on the phone: RC-YYYYMMDD-XXXXXX (see receiptNumber). */
  number: z.string().regex(/^RC-\d{8}-[0-9A-F]{6}$/, 'a receipt number reads RC-YYYYMMDD-XXXXXX'),
  sha256: Sha256Hex,
  bytes: z.number().int().positive().max(5 * 1024 * 1024),
  madeAt: IsoDateTime,
  byUserId: z.uuid(),
  /** The same words as the PDF, so the office and the agent can read a receipt without opening the file. */
  content: ReceiptContentSchema,
});
export type CustomerReceipt = z.infer<typeof CustomerReceipt>;

/**
 * RC, the day in the customer's zone, and the last six hex digits of the receipt's id (random in
 * a UUIDv7): short enough to read over the phone, and the id behind it is unique.
 */
export function receiptNumber(id: string, madeAt: string, timeZone: string): string {
  const day = isoWithOffset(madeAt, timeZone).slice(0, 10).replace(/-/g, '');
  return `RC-${day}-${id.replace(/-/g, '').slice(-6).toUpperCase()}`;
}

/** "Fri, Dec 4, 09:12 CST (UTC-06:00)": the app's one time format, in the customer's zone, with its offset. */
export function receiptTimeText(at: string, timeZone: string, locale?: TimeTextContext['locale']): string {
  const offset = isoWithOffset(at, timeZone).slice(-6);
  return `${momentText(at, { timeZone, deviceZone: timeZone, locale })} ${zoneName(at, timeZone, locale)} (UTC${offset})`;
}

export type ReceiptContent = z.infer<typeof ReceiptContentSchema>;

export interface ReceiptFacts {
  readonly number: string;
  readonly madeAt: string;
  readonly job: {
    readonly accountRef: string;
    readonly clientName: string;
    readonly clientContact?: ClientContact | undefined;
    readonly customerName: string;
    readonly address: string;
    readonly timeZone: string;
    readonly items: readonly ExpectedItem[];
  };
  readonly agentName: string;
  readonly visitArrivedAt: string;
  /** The job's collection events ('collected'), oldest first. */
  readonly collections: readonly Pick<CustodyEvent, 'kind' | 'at' | 'items' | 'note' | 'from'>[];
  /** The latest record per item. */
  readonly reconciliations: readonly ItemReconciliation[];
  readonly customerSignatures: readonly Pick<Signature, 'signerName' | 'signedAt'>[];
  readonly property: readonly { readonly entry: Pick<PersonalPropertyEntry, 'description' | 'foundWhere'>; readonly state: PersonalPropertyState }[];
  readonly locale?: TimeTextContext['locale'];
}

const typeWords: Record<ExpectedItem['type'], string> = {
  modem: 'Modem',
  router: 'Router',
  set_top_box: 'Set-top box',
  laptop: 'Laptop',
  desktop: 'Desktop computer',
  phone: 'Phone',
  tablet: 'Tablet',
  copier: 'Copier',
  printer: 'Printer',
  medical_device: 'Medical device',
  tool: 'Tool',
  vehicle: 'Vehicle',
  other: 'Item',
};

function itemWords(item: Pick<ExpectedItem, 'type' | 'make' | 'model'>): string {
  return [typeWords[item.type], item.make, item.model].filter((part) => part.trim() !== '').join(' ');
}

const gradeWords = { A: 'as new', B: 'used, works', C: 'worn', D: 'broken' } as const;

function fateWords(state: PersonalPropertyState): string {
  const last = state.trail.at(-1);
  switch (last?.kind) {
    case undefined:
      return 'kept by the agent for now; it will be stored and offered back';
    case 'stored':
      return `stored at ${last.location}, to be offered back`;
    case 'returned':
      return `returned to ${last.returnedTo}`;
    case 'released':
      return `released to ${last.releasedTo} (${last.reason})`;
    case 'disposed':
      return `disposed of (${last.reason})`;
  }
}

/**
 * The receipt's words, section by section, from what the laptop holds. Pure, so the same facts
 * always make the same receipt and a test can read it without a PDF.
 */
export function receiptContent(facts: ReceiptFacts): ReceiptContent {
  const { job } = facts;
  const when = (at: string) => receiptTimeText(at, job.timeZone, facts.locale);
  const byItem = new Map(facts.reconciliations.map((line) => [line.itemId, line]));
  const expected = new Map(job.items.map((item) => [item.id, item]));

  const collected: string[] = [];
  const taken = new Set<string>();
  for (const event of facts.collections) {
    for (const item of event.items) {
      if (taken.has(item.itemId)) continue;
      taken.add(item.itemId);
      const line = byItem.get(item.itemId);
      const described = expected.get(item.itemId) ?? line?.unexpected ?? null;
      const condition = line?.status === 'damaged' ? 'damaged' : line?.grade ? `condition ${line.grade} (${gradeWords[line.grade]})` : null;
      collected.push([`${described ? itemWords(described) : 'Item'}, serial ${item.serial}`, condition, `collected ${when(event.at)}`].filter(Boolean).join(' · '));
    }
  }
  const left = job.items
    .filter((item) => !taken.has(item.id))
    .map((item) => {
      const status = byItem.get(item.id)?.status;
      const why = status === 'missing' ? 'not found' : status === 'refused' ? 'the customer did not hand it over' : 'not collected';
      return `${itemWords(item)}, serial ${item.serial}: ${why}`;
    });

  const refusals = facts.collections.flatMap((event) => {
    const refusal = readRefusalNote(event.note);
    if (!refusal) return [];
    return [`${refusalKindWords[refusal.kind]} (${refusal.customerName}). Reason: ${refusal.reason}. ${refusal.witnessName ? `Witness: ${refusal.witnessName}.` : 'No witness.'}`];
  });
  const signed = facts.customerSignatures.map((signature) => `Signed by ${signature.signerName} at ${when(signature.signedAt)}.`);

  const contact = clientContactLine(job.clientContact);
  return {
    title: 'Receipt for equipment collected',
    number: facts.number,
    sections: [
      {
        heading: 'Receipt',
        lines: [
          `Receipt number ${facts.number}`,
          `Made ${when(facts.madeAt)}`,
          `Customer: ${job.customerName}, ${job.address}`,
          `Account ${job.accountRef} with ${job.clientName} (the lessor)`,
          `Agent: ${facts.agentName}; at the door since ${when(facts.visitArrivedAt)}`,
        ],
      },
      { heading: 'Collected', lines: collected.length > 0 ? collected : ['Nothing was collected.'] },
      ...(left.length > 0 ? [{ heading: 'Not collected', lines: left }] : []),
      {
        heading: 'Your belongings found with the equipment',
        lines:
          facts.property.length > 0
            ? facts.property.map(({ entry, state }) => `${entry.description} (found ${entry.foundWhere}): ${fateWords(state)}`)
            : ['None were found.'],
      },
      { heading: 'Signature', lines: [...signed, ...refusals].length > 0 ? [...signed, ...refusals] : ['The customer has not signed.'] },
      {
        heading: `Questions about this account: ${job.clientName}`,
        lines: [
          contact ?? `Contact ${job.clientName} and quote account ${job.accountRef}.`,
          `Quote account ${job.accountRef} and receipt ${facts.number}. Your belongings are never held for a fee.`,
        ],
      },
    ],
  };
}

/** The receipt as plain text, one line each, for the screen and for tests. */
export function receiptText(content: ReceiptContent): string[] {
  return [content.title, ...content.sections.flatMap((section) => [section.heading, ...section.lines])];
}

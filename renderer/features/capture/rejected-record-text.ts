import type { PersonalPropertyEventKind } from '../../../shared/domain/personal-property';
import type { Mutation } from '../../../shared/sync/protocol';

const custodyKinds: Record<string, string> = {
  collected: 'Collection',
  transferred: 'Transfer',
  received: 'Warehouse hand-over',
  sealed: 'Sealing',
  returned_to_client: 'Return to client',
  disposed: 'Disposal',
};

const propertyEventWords: Record<PersonalPropertyEventKind, string> = {
  stored: 'stored',
  returned: 'returned',
  released: 'released',
  disposed: 'disposed of',
};

/** Names a refused door record for the agent: what it was, not its entity code. */
export function describeDoorRecord(mutation: Exclude<Mutation, { entity: 'jobStatusChange' | 'jobNote' }>): string {
  switch (mutation.entity) {
    case 'visit':
      return 'Visit record';
    case 'itemReconciliation':
      return `Item record (${mutation.data.status})`;
    case 'photo':
      return 'Photo';
    case 'signature':
      return `Signature of ${mutation.data.signerName}`;
    case 'custodyEvent':
      return `${custodyKinds[mutation.data.kind] ?? 'Custody'} record`;
    case 'visitDeparture':
      return 'Departure from a visit';
    case 'deviceKey':
      return "This laptop's signing key";
    case 'personalProperty':
      return `Personal property (${mutation.data.description})`;
    case 'personalPropertyEvent':
      return `Personal property ${propertyEventWords[mutation.data.kind]}`;
    case 'customerReceipt':
      return `Customer receipt ${mutation.data.number}`;
  }
}

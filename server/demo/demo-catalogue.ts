import type { ExpectedItem, ItemType } from '../../shared/domain/job';
import type { SeededRandom } from './seeded-random';

/** The demo's staff. Every demo account signs in with the same password. */
export const DEMO_PASSWORD = 'demo1234';

export const demoStaff = [
  { username: 'admin', displayName: 'Morgan Ellis', role: 'admin' },
  { username: 'dispatcher1', displayName: 'Dana Whitfield', role: 'dispatcher' },
  { username: 'supervisor1', displayName: 'Priya Raman', role: 'supervisor' },
  { username: 'agent1', displayName: 'Marcus Bell', role: 'agent' },
  { username: 'agent2', displayName: 'Elena Kowalczyk', role: 'agent' },
  { username: 'agent3', displayName: 'Tomás Herrera', role: 'agent' },
] as const;

export type DemoClientKey = 'telecom' | 'lessor' | 'medical';

export const demoClients: Record<DemoClientKey, { readonly name: string; readonly accountRef: (random: SeededRandom) => string }> = {
  telecom: { name: 'Lakeshore Cable & Internet', accountRef: (r) => `LCI-${r.digits(9)}` },
  lessor: { name: 'Prairie Equipment Leasing', accountRef: (r) => `PEL-${r.int(2022, 2025)}-${r.digits(5)}` },
  medical: { name: 'MedLease Midwest', accountRef: (r) => `MLM-${r.digits(6)}` },
};

interface Model {
  readonly type: ItemType;
  readonly make: string;
  readonly model: string;
  readonly serial: (random: SeededRandom) => string;
}

/** Equipment each client leases, with serial formats shaped like the real plates. */
const models: Record<DemoClientKey, readonly Model[]> = {
  telecom: [
    { type: 'modem', make: 'Arris', model: 'SURFboard SB8200', serial: (r) => `G4${r.letters(1)}${r.digits(10)}` },
    { type: 'modem', make: 'Technicolor', model: 'CGM4331COM', serial: (r) => `CP${r.int(19, 23)}${r.int(10, 52)}${r.alnum(3)}${r.digits(4)}` },
    { type: 'router', make: 'Netgear', model: 'Nighthawk RAX50', serial: (r) => `6LA${r.alnum(2)}${r.digits(7)}` },
    { type: 'set_top_box', make: 'Cisco', model: 'Explorer 4742HDC', serial: (r) => `SAD${r.digits(8)}` },
    { type: 'set_top_box', make: 'Arris', model: 'DCX3600-M', serial: (r) => `M1${r.digits(10)}` },
  ],
  lessor: [
    { type: 'laptop', make: 'Dell', model: 'Latitude 5440', serial: (r) => r.alnum(7) },
    { type: 'laptop', make: 'Lenovo', model: 'ThinkPad T14 Gen 4', serial: (r) => `PF${r.alnum(6)}` },
    { type: 'copier', make: 'Canon', model: 'imageRUNNER ADVANCE DX C5840i', serial: (r) => `${r.letters(3)}${r.digits(5)}` },
    { type: 'tool', make: 'Hilti', model: 'TE 30-A36 rotary hammer', serial: (r) => r.digits(9) },
    { type: 'tool', make: 'Hilti', model: 'DD 150-U core drill', serial: (r) => r.digits(9) },
  ],
  medical: [
    { type: 'medical_device', make: 'Philips Respironics', model: 'DreamStation Auto CPAP', serial: (r) => `J${r.digits(11)}` },
    { type: 'medical_device', make: 'Invacare', model: 'Platinum 10 oxygen concentrator', serial: (r) => `${r.int(19, 24)}${r.letters(2)}${r.digits(6)}` },
    { type: 'medical_device', make: 'Hill-Rom', model: 'Centrella Smart+ bed', serial: (r) => `N${r.digits(3)}${r.letters(2)}${r.digits(4)}` },
  ],
};

const assetTagPrefix: Record<DemoClientKey, string> = { telecom: 'LCI', lessor: 'PEL', medical: 'MLM' };

export function expectedItems(random: SeededRandom, client: DemoClientKey, newItemId: () => string): ExpectedItem[] {
  const count = client === 'medical' ? random.int(1, 2) : random.int(1, 4);
  return Array.from({ length: count }, () => {
    const model = random.pick(models[client]);
    return {
      id: newItemId(),
      type: model.type,
      make: model.make,
      model: model.model,
      serial: model.serial(random),
      assetTag: client === 'telecom' && random.chance(0.5) ? null : `${assetTagPrefix[client]}-${random.digits(6)}`,
    };
  });
}

const givenNames = [
  'James', 'Maria', 'DeShawn', 'Keisha', 'Luis', 'Guadalupe', 'Michael', 'Patricia', 'Andre', 'Tamika', 'Jose',
  'Anna', 'Robert', 'Latoya', 'Piotr', 'Agnieszka', 'Kevin', 'Yolanda', 'Carlos', 'Sofia', 'Terrence', 'Nadia',
  'Brian', 'Rosa', 'Darnell', 'Mei', 'Samuel', 'Fatima', 'Gregory', 'Irene', 'Hector', 'Denise', 'Omar', 'Linh',
] as const;

const familyNames = [
  'Johnson', 'Garcia', 'Washington', 'Nowak', 'Hernandez', 'Williams', 'Kowalski', 'Jackson', 'Martinez', 'Brown',
  'Lopez', 'Davis', 'Wisniewski', 'Robinson', 'Rodriguez', 'Thompson', 'Nguyen', 'Patel', "O'Brien", 'Murphy',
  'Ramirez', 'Harris', 'Castillo', 'Kim', 'Coleman', 'Sullivan', 'Mendoza', 'Jenkins', 'Khan', 'Ortiz',
] as const;

const businessNames = [
  'Ravenswood Print & Ship', 'Kowalski Construction LLC', 'Pilsen Family Dental', 'Bronzeville Law Group',
  'Northside Tile & Stone', 'Avondale Auto Body', 'Hyde Park Tutoring Center', 'West Loop Creative Studio',
  'Archer Heights Insurance Agency', 'Logan Square Bakery Co.',
] as const;

export interface DemoCustomer {
  readonly name: string;
  readonly phones: string[];
  readonly email: string | null;
}

function phone(random: SeededRandom): string {
  // 555-0100 to 555-0199 is reserved for fiction: no demo number can ring a real person.
  return `(${random.pick(['312', '773', '872'])}) 555-01${random.digits(2)}`;
}

export function demoCustomer(random: SeededRandom, client: DemoClientKey): DemoCustomer {
  const given = random.pick(givenNames);
  const family = random.pick(familyNames);
  const business = client === 'lessor' && random.chance(0.5) ? random.pick(businessNames) : null;
  const name = business ? `${business} (attn. ${given} ${family})` : `${given} ${family}`;
  const phones = random.chance(0.3) ? [phone(random), phone(random)] : [phone(random)];
  const emailUser = `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '');
  return { name, phones, email: random.chance(0.45) ? `${emailUser}@example.com` : null };
}

export const doorInstructions = [
  'Gate code 4127; dog in the back yard.',
  'Customer works nights; visit after 14:00.',
  'Ring apartment buzzer; building manager can open the basement storage.',
  'Customer asked for a call 30 minutes before arrival.',
  'Side entrance off the alley; front door is not used.',
  'Business hours only; ask for the office manager at reception.',
  'Spanish-speaking household; customer prefers Spanish.',
  'Equipment may be in the garage; customer agreed on the phone to hand it over.',
] as const;

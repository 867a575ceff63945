import type { Address, ItemType, Priority } from '../../../shared/domain/job';

export function oneLineAddress(address: Address): string {
  const street = [address.line1, address.line2].filter(Boolean).join(', ');
  return `${street}, ${address.city}${address.region ? `, ${address.region}` : ''} ${address.postalCode}`.trim();
}

export const priorityLabels: Record<Priority, string> = {
  low: 'Low',
  normal: 'Normal',
  high: 'High',
  urgent: 'Urgent',
};

export const itemTypeLabels: Record<ItemType, string> = {
  modem: 'Modem',
  router: 'Router',
  set_top_box: 'Set-top box',
  laptop: 'Laptop',
  desktop: 'Desktop',
  phone: 'Phone',
  tablet: 'Tablet',
  copier: 'Copier',
  printer: 'Printer',
  medical_device: 'Medical device',
  tool: 'Tool',
  vehicle: 'Vehicle',
  other: 'Other',
};

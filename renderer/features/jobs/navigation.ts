import type { Address } from '../../../shared/domain/job';
import { getBridge } from '../../platform/bridge';

/** A directions link any phone or laptop opens in its maps app; coordinates beat a typed address. */
export function directionsUrl(address: Address): string {
  const destination =
    address.lat !== null && address.lon !== null
      ? `${address.lat},${address.lon}`
      : [address.line1, address.line2, address.city, address.region, address.postalCode].filter(Boolean).join(', ');
  return `https://www.google.com/maps/dir/?api=1&destination=${encodeURIComponent(destination)}`;
}

export function openDirections(address: Address): Promise<void> {
  return getBridge().openExternal(directionsUrl(address));
}

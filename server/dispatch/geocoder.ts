import { z } from 'zod';
import type { Address } from '../../shared/domain/job';

export type GeocodeAnswer =
  | { readonly kind: 'found'; readonly lat: number; readonly lon: number }
  | { readonly kind: 'no-match' }
  | { readonly kind: 'unreachable'; readonly reason: string };

export interface Geocoder {
  geocode(address: Address): Promise<GeocodeAnswer>;
}

const NominatimResults = z.array(z.object({ lat: z.coerce.number().min(-90).max(90), lon: z.coerce.number().min(-180).max(180) }));

/**
 * A Nominatim-compatible /search endpoint (Nominatim itself, Photon's Nominatim shim, a
 * self-hosted instance). The public nominatim.openstreetmap.org allows one request a second, so
 * bulk imports want a self-hosted one; the URL is configuration, never hard-coded.
 */
export function nominatimGeocoder(baseUrl: string, timeoutMs = 5_000): Geocoder {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async geocode(address) {
      const params = new URLSearchParams({
        format: 'jsonv2',
        limit: '1',
        street: [address.line1, address.line2].filter(Boolean).join(', '),
        city: address.city,
        state: address.region,
        postalcode: address.postalCode,
        countrycodes: address.country.toLowerCase(),
      });
      let response: Response;
      try {
        response = await fetch(`${base}/search?${params.toString()}`, {
          headers: { accept: 'application/json', 'user-agent': 'Reclaim-sync-server (field asset recovery)' },
          signal: AbortSignal.timeout(timeoutMs),
        });
      } catch (error) {
        return { kind: 'unreachable', reason: error instanceof Error ? error.message : String(error) };
      }
      if (!response.ok) return { kind: 'unreachable', reason: `the geocoder answered HTTP ${response.status}` };
      const parsed = NominatimResults.safeParse(await response.json().catch(() => null));
      if (!parsed.success) return { kind: 'unreachable', reason: 'the geocoder sent an answer that is not Nominatim JSON' };
      const [first] = parsed.data;
      return first ? { kind: 'found', lat: first.lat, lon: first.lon } : { kind: 'no-match' };
    },
  };
}

/**
 * Geocodes addresses a few at a time. Once the service is unreachable the rest are not tried, so
 * a dead geocoder costs one timeout per import, not one per row.
 */
export async function geocodeAll(geocoder: Geocoder, addresses: readonly Address[], concurrency = 4): Promise<GeocodeAnswer[]> {
  const answers: GeocodeAnswer[] = new Array<GeocodeAnswer>(addresses.length);
  let next = 0;
  let down: GeocodeAnswer | null = null;
  const worker = async () => {
    while (next < addresses.length) {
      const index = next;
      next += 1;
      const address = addresses[index];
      if (!address) continue;
      if (down) {
        answers[index] = down;
        continue;
      }
      const answer = await geocoder.geocode(address);
      if (answer.kind === 'unreachable') down = answer;
      answers[index] = answer;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, addresses.length) }, worker));
  return answers;
}

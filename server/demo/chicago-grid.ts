import type { Address } from '../../shared/domain/job';
import type { SeededRandom } from './seeded-random';

/**
 * Chicago's address grid: State & Madison is 0/0, 800 address numbers make a mile, north and
 * east are positive here. Streets sit at their real grid positions, so a generated address is
 * one a map search finds near where it should be.
 */
const origin = { lat: 41.8819, lon: -87.6278 };
const latPerMile = 0.01449;
const lonPerMile = 0.01938;

interface EastWestStreet {
  readonly name: string;
  readonly ns: number;
  /** Where along the street houses are generated (east-west grid numbers). */
  readonly from: number;
  readonly to: number;
}

interface NorthSouthStreet {
  readonly name: string;
  readonly ew: number;
  readonly from: number;
  readonly to: number;
}

const eastWestStreets: readonly EastWestStreet[] = [
  { name: 'Devon Ave', ns: 6400, from: -3600, to: -1200 },
  { name: 'Lawrence Ave', ns: 4800, from: -5600, to: -1200 },
  { name: 'Montrose Ave', ns: 4400, from: -5600, to: -1200 },
  { name: 'Irving Park Rd', ns: 4000, from: -5600, to: -1200 },
  { name: 'Addison St', ns: 3600, from: -5600, to: -1200 },
  { name: 'Belmont Ave', ns: 3200, from: -5600, to: -1200 },
  { name: 'Diversey Ave', ns: 2800, from: -5600, to: -2400 },
  { name: 'Fullerton Ave', ns: 2400, from: -5600, to: -800 },
  { name: 'Armitage Ave', ns: 2000, from: -5600, to: -800 },
  { name: 'North Ave', ns: 1600, from: -5600, to: -800 },
  { name: 'Division St', ns: 1200, from: -5600, to: -800 },
  { name: 'Chicago Ave', ns: 800, from: -5600, to: -800 },
  { name: 'Madison St', ns: 0, from: -5600, to: -1600 },
  { name: 'Roosevelt Rd', ns: -1200, from: -4800, to: -800 },
  { name: 'Cermak Rd', ns: -2200, from: -4800, to: -800 },
  { name: '35th St', ns: -3500, from: -4400, to: 600 },
  { name: '47th St', ns: -4700, from: -4800, to: 1000 },
  { name: '63rd St', ns: -6300, from: -4800, to: 1500 },
  { name: '79th St', ns: -7900, from: -4800, to: 1500 },
  { name: '87th St', ns: -8700, from: -4800, to: 1500 },
];

const northSouthStreets: readonly NorthSouthStreet[] = [
  { name: 'Halsted St', ew: -800, from: -9500, to: 3800 },
  { name: 'Racine Ave', ew: -1200, from: -8700, to: 4400 },
  { name: 'Ashland Ave', ew: -1600, from: -9500, to: 6400 },
  { name: 'Damen Ave', ew: -2000, from: -8700, to: 6400 },
  { name: 'Western Ave', ew: -2400, from: -9500, to: 7200 },
  { name: 'California Ave', ew: -2800, from: -6300, to: 6400 },
  { name: 'Kedzie Ave', ew: -3200, from: -9500, to: 6400 },
  { name: 'Pulaski Rd', ew: -4000, from: -9500, to: 6400 },
  { name: 'Cicero Ave', ew: -4800, from: -8700, to: 6400 },
  { name: 'Central Ave', ew: -5600, from: 200, to: 6400 },
  { name: 'Cottage Grove Ave', ew: 800, from: -9500, to: -2600 },
  { name: 'Stony Island Ave', ew: 1600, from: -9500, to: -5600 },
];

/** ZIP areas as grid rectangles [south, north, west, east]; the first match wins. */
const zipAreas: readonly (readonly [number, number, number, number, string])[] = [
  [6400, 7600, -1600, 0, '60626'],
  [6000, 7600, -3600, -1600, '60659'],
  [5600, 6400, -1600, 0, '60660'],
  [4400, 5600, -1600, 0, '60640'],
  [4400, 6400, -3600, -1600, '60625'],
  [4400, 6400, -6400, -3600, '60630'],
  [3600, 4400, -1600, 0, '60613'],
  [2800, 3600, -1600, 0, '60657'],
  [2800, 4400, -4000, -1600, '60618'],
  [3200, 4400, -6400, -4000, '60641'],
  [1600, 2800, -1200, 0, '60614'],
  [1600, 2800, -4000, -1200, '60647'],
  [1600, 3200, -6400, -4000, '60639'],
  [800, 1600, -2800, -1200, '60622'],
  [800, 1600, -4400, -2800, '60651'],
  [-1200, 1600, -6400, -4400, '60644'],
  [-1200, 800, -1600, -400, '60607'],
  [-1200, 800, -3200, -1600, '60612'],
  [-1200, 800, -4400, -3200, '60624'],
  [-3100, -1200, -800, 800, '60616'],
  [-3100, -1200, -2400, -800, '60608'],
  [-3100, -1200, -4800, -2400, '60623'],
  [-4700, -3100, 0, 800, '60653'],
  [-5500, -3100, -2400, 0, '60609'],
  [-5500, -3100, -4800, -2400, '60632'],
  [-5500, -4700, 0, 1600, '60615'],
  [-6700, -5500, 0, 1600, '60637'],
  [-7500, -5500, -1200, 0, '60621'],
  [-7500, -5500, -2400, -1200, '60636'],
  [-7500, -5500, -4800, -2400, '60629'],
  [-9500, -6700, 0, 1600, '60619'],
  [-9500, -7500, -2400, 0, '60620'],
  [-9500, -7500, -4800, -2400, '60652'],
];

function zipFor(ns: number, ew: number): string {
  const area = zipAreas.find(([south, north, west, east]) => ns >= south && ns <= north && ew >= west && ew <= east);
  return area?.[4] ?? '60609';
}

/** A house number on the block containing `position`, odd or even at random, never 0. */
function houseNumber(random: SeededRandom, position: number): number {
  const block = Math.max(100, Math.floor(Math.abs(position) / 100) * 100);
  return block + random.int(1, 49) * 2 - (random.chance(0.5) ? 1 : 0);
}

function round(value: number, places: number): number {
  const factor = 10 ** places;
  return Math.round(value * factor) / factor;
}

/** A street address somewhere in the city, with coordinates from the grid. */
export function chicagoAddress(random: SeededRandom): Address {
  let ns: number;
  let ew: number;
  let line1: string;
  if (random.chance(0.5)) {
    const street = random.pick(eastWestStreets);
    const position = random.int(street.from, street.to);
    const number = houseNumber(random, position);
    ew = position < 0 ? -number : number;
    ns = street.ns;
    line1 = `${number} ${ew < 0 ? 'W' : 'E'} ${street.name}`;
  } else {
    const street = random.pick(northSouthStreets);
    const position = random.int(street.from, street.to);
    const number = houseNumber(random, position);
    ns = position < 0 ? -number : number;
    ew = street.ew;
    line1 = `${number} ${ns < 0 ? 'S' : 'N'} ${street.name}`;
  }
  return {
    line1,
    line2: random.chance(0.2) ? `Apt ${random.int(1, 4)}${random.pick(['A', 'B', 'F', 'R'])}` : null,
    city: 'Chicago',
    region: 'IL',
    postalCode: zipFor(ns, ew),
    country: 'US',
    lat: round(origin.lat + (ns / 800) * latPerMile, 5),
    lon: round(origin.lon + (ew / 800) * lonPerMile, 5),
  };
}

/**
 * Reader for the TSPLIB format (Reinelt, 1991), limited to what the benchmark instances use:
 * the specification part, EDGE_WEIGHT_TYPE EUC_2D and NODE_COORD_SECTION. Distances follow
 * the TSPLIB rule for EUC_2D, nint(sqrt(dx² + dy²)), so tour lengths compare with the
 * published optima exactly.
 */
export interface TsplibInstance {
  readonly name: string;
  readonly comment: string | null;
  readonly dimension: number;
  readonly edgeWeightType: 'EUC_2D';
  readonly coordinates: readonly { readonly x: number; readonly y: number }[];
  /** The proven optimal tour length when the file states it (OPTIMUM key or a comment). */
  readonly optimum: number | null;
}

export class TsplibParseError extends Error {
  constructor(
    message: string,
    readonly line: number | null,
  ) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'TsplibParseError';
  }
}

const optimumInComment = /\bopt(?:imum|imal)?(?:\s+tour)?(?:\s+length)?\s*[:=]?\s*(\d+(?:\.\d+)?)/i;

export function parseTsplib(text: string): TsplibInstance {
  const lines = text.split(/\r?\n/);
  const spec = new Map<string, string>();
  const coordinates: { x: number; y: number }[] = [];
  let lineIndex = 0;
  let inCoordinates = false;
  let dimension: number | null = null;

  for (; lineIndex < lines.length; lineIndex++) {
    const line = (lines[lineIndex] ?? '').trim();
    const lineNumber = lineIndex + 1;
    if (line === '' ) continue;
    if (line === 'EOF') break;
    if (inCoordinates) {
      const parts = line.split(/\s+/);
      if (parts.length !== 3) {
        // A new section begins; only NODE_COORD_SECTION is supported.
        if (/^[A-Z_]+(\s*:|$)/.test(line)) {
          inCoordinates = false;
        } else {
          throw new TsplibParseError(`expected "index x y", found "${line}"`, lineNumber);
        }
      } else {
        const [indexText, xText, yText] = parts as [string, string, string];
        const index = Number(indexText);
        const x = Number(xText);
        const y = Number(yText);
        if (!Number.isInteger(index) || !Number.isFinite(x) || !Number.isFinite(y)) {
          throw new TsplibParseError(`expected "index x y" as numbers, found "${line}"`, lineNumber);
        }
        if (index !== coordinates.length + 1) {
          throw new TsplibParseError(`expected node ${coordinates.length + 1}, found node ${index}`, lineNumber);
        }
        coordinates.push({ x, y });
        if (dimension !== null && coordinates.length === dimension) inCoordinates = false;
        continue;
      }
    }
    if (line.startsWith('NODE_COORD_SECTION')) {
      if (dimension === null) throw new TsplibParseError('NODE_COORD_SECTION comes before DIMENSION', lineNumber);
      inCoordinates = true;
      continue;
    }
    const match = /^([A-Z_]+)\s*:\s*(.*)$/.exec(line);
    if (match === null) {
      if (/^[A-Z_]+_SECTION$/.test(line)) {
        throw new TsplibParseError(`${line} is not supported; only NODE_COORD_SECTION is`, lineNumber);
      }
      throw new TsplibParseError(`expected "KEY : value", found "${line}"`, lineNumber);
    }
    const key = match[1] as string;
    const value = (match[2] ?? '').trim();
    spec.set(key, spec.has(key) && key === 'COMMENT' ? `${spec.get(key)} ${value}` : value);
    if (key === 'DIMENSION') {
      const parsed = Number(value);
      if (!Number.isInteger(parsed) || parsed < 1) {
        throw new TsplibParseError(`DIMENSION must be a positive whole number, found "${value}"`, lineNumber);
      }
      dimension = parsed;
    }
  }

  const type = spec.get('TYPE');
  if (type !== undefined && type !== 'TSP') {
    throw new TsplibParseError(`only TYPE TSP is supported, this file is ${type}`, null);
  }
  const edgeWeightType = spec.get('EDGE_WEIGHT_TYPE');
  if (edgeWeightType !== 'EUC_2D') {
    throw new TsplibParseError(
      `only EDGE_WEIGHT_TYPE EUC_2D is supported, this file has ${edgeWeightType ?? 'none'}`,
      null,
    );
  }
  if (dimension === null) throw new TsplibParseError('the file has no DIMENSION', null);
  if (coordinates.length !== dimension) {
    throw new TsplibParseError(
      `DIMENSION is ${dimension} but NODE_COORD_SECTION holds ${coordinates.length} nodes`,
      null,
    );
  }

  const comment = spec.get('COMMENT') ?? null;
  return {
    name: spec.get('NAME') ?? 'unnamed',
    comment,
    dimension,
    edgeWeightType: 'EUC_2D',
    coordinates,
    optimum: readOptimum(spec.get('OPTIMUM'), comment),
  };
}

function readOptimum(stated: string | undefined, comment: string | null): number | null {
  if (stated !== undefined) {
    const value = Number(stated);
    if (Number.isFinite(value) && value > 0) return value;
  }
  const fromComment = comment === null ? null : optimumInComment.exec(comment);
  if (fromComment?.[1] !== undefined) return Number(fromComment[1]);
  return null;
}

/** TSPLIB's EUC_2D distance: the Euclidean distance rounded to the nearest whole number. */
export function euc2dDistance(a: { x: number; y: number }, b: { x: number; y: number }): number {
  const dx = a.x - b.x;
  const dy = a.y - b.y;
  return Math.floor(Math.sqrt(dx * dx + dy * dy) + 0.5);
}

export function euc2dMatrix(instance: TsplibInstance): number[][] {
  const points = instance.coordinates;
  return points.map((from) => points.map((to) => euc2dDistance(from, to)));
}

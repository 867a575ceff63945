import fc from 'fast-check';
import { hostileStrings } from './hostile-input';

/**
 * Request values shaped by the server's own OpenAPI schemas, with hostile values at the leaves:
 * a body that passes the outer checks reaches the inner ones, and a hostile leaf reaches as deep
 * as validation lets it. JSON the JS serializer cannot write (a lone surrogate is written as an
 * escape by JSON.stringify anyway; 1e309 is not) travels as a marker replaced after stringify.
 */
type JsonSchema = {
  readonly type?: string | readonly string[];
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly items?: JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly oneOf?: readonly JsonSchema[];
  readonly enum?: readonly unknown[];
  readonly const?: unknown;
  readonly format?: string;
  readonly minimum?: number;
  readonly maximum?: number;
};

/** Written as the bare number 1e309 in the JSON (Infinity once parsed). */
export const OVERFLOW_NUMBER = '\u0000reclaim-fuzz:1e309\u0000';

export function serializeHostileJson(value: unknown): string {
  return JSON.stringify(value).replaceAll(JSON.stringify(OVERFLOW_NUMBER), '1e309');
}

/** The values attackers reach for first, for any leaf. */
export const hostileLeaf: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(...hostileStrings),
  fc.constantFrom<unknown>(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\u0007\u001b[2J',
    '\u0085',
    OVERFLOW_NUMBER,
    -0,
    Number.MAX_SAFE_INTEGER + 2,
    1e308,
    null,
    true,
    [],
    {},
    { __proto__: null, polluted: true },
  ),
  fc.constant(null).map(() => 'm'.repeat(1024 * 1024)),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

function plausibleString(schema: JsonSchema): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((date) => date.toISOString());
    case 'date':
      return fc.constantFrom('2026-03-02', '2026-13-45');
    case 'email':
      return fc.constantFrom('dana@example.com', 'not-an-email');
    default:
      return fc.string({ maxLength: 40 });
  }
}

const types = (schema: JsonSchema): readonly string[] => (Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type as string] : []);

/** A value for `schema`: mostly of the right shape, often hostile at a leaf. */
export function valueFor(schema: JsonSchema, depth = 0): fc.Arbitrary<unknown> {
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches && branches.length > 0) return fc.oneof(...branches.map((branch) => valueFor(branch, depth + 1)));
  if (schema.const !== undefined) return fc.oneof(fc.constant(schema.const), hostileLeaf);
  if (schema.enum && schema.enum.length > 0) return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...schema.enum) }, { weight: 1, arbitrary: hostileLeaf });
  const kind = types(schema);
  if (kind.includes('object') || schema.properties) {
    if (depth > 6) return hostileLeaf;
    const properties = schema.properties ?? {};
    const required = new Set(schema.required ?? []);
    const shaped = fc.record(
      Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, valueFor(property, depth + 1)])),
      { requiredKeys: Object.keys(properties).filter((name) => required.has(name) || name.length % 2 === 0) },
    );
    const polluted = shaped.map((record) => ({ ...record, ['__proto__']: { role: 'admin', isAdmin: true }, constructor: { prototype: { role: 'admin' } } }));
    return fc.oneof({ weight: 6, arbitrary: shaped }, { weight: 1, arbitrary: polluted }, { weight: 1, arbitrary: hostileLeaf });
  }
  if (kind.includes('array')) {
    if (depth > 6) return fc.constant([]);
    return fc.oneof({ weight: 4, arbitrary: fc.array(valueFor(schema.items ?? {}, depth + 1), { maxLength: 3 }) }, { weight: 1, arbitrary: hostileLeaf });
  }
  if (kind.includes('integer') || kind.includes('number')) {
    const plausible = fc.integer({ min: Math.max(-1000, Math.ceil(schema.minimum ?? -1000)), max: Math.min(1000, Math.floor(schema.maximum ?? 1000)) });
    return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: hostileLeaf });
  }
  if (kind.includes('boolean')) return fc.oneof({ weight: 3, arbitrary: fc.boolean() }, { weight: 1, arbitrary: hostileLeaf });
  if (kind.includes('string')) return fc.oneof({ weight: 2, arbitrary: plausibleString(schema) }, { weight: 2, arbitrary: hostileLeaf });
  return hostileLeaf;
}

/** JSON nested `depth` levels deep, as text (no engine could build it as a value by recursion). */
export function deeplyNestedJson(depth: number): string {
  return `${'{"a":['.repeat(depth)}1${']}'.repeat(depth)}`;
}

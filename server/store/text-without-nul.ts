import {
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { someNode } from './operation-tree';

/**
 * PostgreSQL cannot store U+0000 in text (it answers "invalid byte sequence", which used to become
 * a 500), while SQLite stores it quietly. No field in Reclaim means anything with a NUL in it, so
 * both stores refuse it the same way, before the statement is sent: the request gets a 400 that
 * says what to remove instead of a server error on one store and a stored NUL on the other.
 */
export class NulInTextError extends Error {
  constructor() {
    super('Text may not contain the NUL character (U+0000). Remove it and send the request again.');
    this.name = 'NulInTextError';
  }
}

/** True when any string in the value (nested in arrays or objects) holds U+0000. */
export function containsNulCharacter(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object') return false;
  // Plain loops: every bound value of every statement comes through here.
  if (Array.isArray(value)) {
    for (const item of value) if (containsNulCharacter(item)) return true;
    return false;
  }
  // Bytes (Buffer, Uint8Array) and dates are not text; only plain objects are walked.
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const [key, inner] of Object.entries(value)) if (key.includes('\u0000') || containsNulCharacter(inner)) return true;
  return false;
}

/**
 * A bound value holding U+0000, wherever it sits (inserts, lists, raw `sql` parameters), found
 * by reading the tree in place (someNode). A transformer rebuilt and froze every node of every
 * statement, hundreds for a push's multi-row inserts: with the `in`-list rewrite's copy, 7.7 % of
 * a PostgreSQL instance's CPU under the push bench.
 */
function isNulValue(node: OperationNode): boolean | undefined {
  if (ValueNode.is(node)) return containsNulCharacter(node.value);
  if (PrimitiveValueListNode.is(node)) return containsNulCharacter(node.values);
  return undefined;
}

/** The Kysely plugin both stores install: every bound value is checked before it reaches the database. */
export class RefuseNulInText implements KyselyPlugin {
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    if (someNode(args.node, isNulValue)) throw new NulInTextError();
    return args.node;
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

import {
  OperationNodeTransformer,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type PrimitiveValueListNode,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
  type ValueNode,
} from 'kysely';

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
  if (Array.isArray(value)) return value.some(containsNulCharacter);
  // Bytes (Buffer, Uint8Array) and dates are not text; only plain objects are walked.
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  return Object.entries(value).some(([key, inner]) => key.includes('\u0000') || containsNulCharacter(inner));
}

class NulCheck extends OperationNodeTransformer {
  protected override transformValue(node: ValueNode, queryId?: QueryId): ValueNode {
    if (containsNulCharacter(node.value)) throw new NulInTextError();
    return super.transformValue(node, queryId);
  }

  protected override transformPrimitiveValueList(node: PrimitiveValueListNode, queryId?: QueryId): PrimitiveValueListNode {
    if (containsNulCharacter(node.values)) throw new NulInTextError();
    return super.transformPrimitiveValueList(node, queryId);
  }
}

/** The Kysely plugin both stores install: every bound value is checked before it reaches the database. */
export class RefuseNulInText implements KyselyPlugin {
  readonly #check = new NulCheck();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return this.#check.transformNode(args.node, args.queryId);
  }

  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

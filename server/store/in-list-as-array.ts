import {
  BinaryOperationNode,
  FunctionNode,
  InsertQueryNode,
  OperationNodeTransformer,
  OperatorNode,
  PrimitiveValueListNode,
  ValueNode,
  ValuesNode,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';

/**
 * On PostgreSQL, `x in (v1, …, vn)` goes to the database as `x = any($1)` with the list as one
 * array parameter (and `not in` as `<> all($1)`): the same rows, the same index scan (PostgreSQL
 * plans an IN list as `= ANY` of an array itself), but one statement text whatever the list's
 * length. A push of 7 notes and one of 50 then share their lookups' text, so those statements are
 * prepared once per connection (prepared-statements.ts) instead of once per length, each length
 * taking a place under the connection's cap. Lists that are not plain values (a subquery) are
 * left as they are.
 */
class InListAsArray extends OperationNodeTransformer {
  protected override transformBinaryOperation(node: BinaryOperationNode, queryId?: QueryId): BinaryOperationNode {
    const transformed = super.transformBinaryOperation(node, queryId);
    if (!OperatorNode.is(transformed.operator) || !PrimitiveValueListNode.is(transformed.rightOperand)) return transformed;
    const operator = transformed.operator.operator;
    if (operator !== 'in' && operator !== 'not in') return transformed;
    const list = ValueNode.create([...transformed.rightOperand.values]);
    return operator === 'in'
      ? BinaryOperationNode.create(transformed.leftOperand, OperatorNode.create('='), FunctionNode.create('any', [list]))
      : BinaryOperationNode.create(transformed.leftOperand, OperatorNode.create('<>'), FunctionNode.create('all', [list]));
  }
}

export class InListAsArrayOnPostgres implements KyselyPlugin {
  readonly #transformer = new InListAsArray();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // A plain multi-row insert has no lists to rewrite, and copying its hundreds of value nodes
    // was a measurable part of a push's CPU.
    const { node } = args;
    if (InsertQueryNode.is(node) && node.values !== undefined && ValuesNode.is(node.values) && node.onConflict === undefined) return node;
    return this.#transformer.transformNode(node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

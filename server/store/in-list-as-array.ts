import {
  BinaryOperationNode,
  FunctionNode,
  OperationNodeTransformer,
  OperatorNode,
  PrimitiveValueListNode,
  ValueNode,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryId,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { someNode } from './operation-tree';

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

/** An `in`/`not in` of plain values (see someNode); a bound value is data, never looked inside. */
function isInList(node: OperationNode): boolean | undefined {
  if (ValueNode.is(node) || PrimitiveValueListNode.is(node)) return false;
  if (BinaryOperationNode.is(node) && OperatorNode.is(node.operator) && PrimitiveValueListNode.is(node.rightOperand)) {
    if (node.operator.operator === 'in' || node.operator.operator === 'not in') return true;
  }
  return undefined;
}

export class InListAsArrayOnPostgres implements KyselyPlugin {
  readonly #transformer = new InListAsArray();

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    // Most statements have no list to rewrite; the transformer copies every node of a tree (a
    // multi-row insert has hundreds), so it only runs on a tree that a read-only walk found one in.
    if (!someNode(args.node, isInList)) return args.node;
    return this.#transformer.transformNode(args.node, args.queryId);
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

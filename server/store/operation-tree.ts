import type { OperationNode } from 'kysely';

/**
 * Whether `test` finds what it looks for in a Kysely operation tree, read in place. Kysely's trees
 * are plain frozen objects, so a walk over their properties reaches every node without the copy
 * an OperationNodeTransformer makes of each one. `test` answers each node: true (found), false
 * (nothing here, and nothing to look for inside, as for a bound value), or undefined (look inside).
 */
export function someNode(tree: unknown, test: (node: OperationNode) => boolean | undefined): boolean {
  if (tree === null || typeof tree !== 'object') return false;
  if (Array.isArray(tree)) {
    for (const item of tree) if (someNode(item, test)) return true;
    return false;
  }
  const answer = test(tree as OperationNode);
  if (answer !== undefined) return answer;
  for (const key in tree) {
    if (someNode((tree as Record<string, unknown>)[key], test)) return true;
  }
  return false;
}

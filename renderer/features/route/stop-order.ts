/**
 * Moves a stop within the day while locked stops keep their positions: the agent pinned them
 * ("the 10:00 appointment stays third"), so a drag elsewhere must flow around them.
 * Returns the order unchanged when the moved stop itself is locked.
 */
export function moveStop(
  order: readonly string[],
  lockedPositions: Readonly<Record<string, number>>,
  from: number,
  to: number,
): string[] {
  const moving = order[from];
  if (moving === undefined || lockedPositions[moving] !== undefined) return [...order];
  const target = Math.max(0, Math.min(order.length - 1, to));
  const isPinned = (position: number) => order.some((id) => lockedPositions[id] === position);
  const freeSlots = order.map((_, position) => position).filter((position) => !isPinned(position));
  const free = order.filter((id) => lockedPositions[id] === undefined);
  const fromFree = free.indexOf(moving);
  // A drop onto a locked slot lands on the nearest free slot short of it.
  const toFree =
    target <= from
      ? Math.max(0, freeSlots.findIndex((position) => position >= target))
      : freeSlots.reduce((last, position, i) => (position <= target ? i : last), fromFree);
  free.splice(fromFree, 1);
  free.splice(toFree, 0, moving);
  const result: string[] = [];
  let next = 0;
  for (let position = 0; position < order.length; position++) {
    const pinned = order.find((id) => lockedPositions[id] === position);
    result.push(pinned ?? (free[next++] as string));
  }
  return result;
}

/** The next position up or down that a stop can move to, skipping locked stops; null at the ends. */
export function neighbourSlot(order: readonly string[], lockedPositions: Readonly<Record<string, number>>, from: number, step: -1 | 1): number | null {
  for (let position = from + step; position >= 0 && position < order.length; position += step) {
    const id = order[position];
    if (id !== undefined && lockedPositions[id] === undefined) return position;
  }
  return null;
}

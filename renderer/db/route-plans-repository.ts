import type { RegionPackRow, ReclaimDatabase, RoutePlanRow } from './schema';

export function routePlanId(agentId: string, day: string): string {
  return `${agentId}:${day}`;
}

/** The agent's day plans and the region packs opened on this device. */
export class RoutePlansRepository {
  constructor(private readonly db: ReclaimDatabase) {}

  async getPlan(agentId: string, day: string): Promise<RoutePlanRow | null> {
    return (await this.db.routePlans.get(routePlanId(agentId, day))) ?? null;
  }

  async savePlan(plan: Omit<RoutePlanRow, 'id' | 'updatedAt'>): Promise<RoutePlanRow> {
    const row: RoutePlanRow = { ...plan, id: routePlanId(plan.agentId, plan.day), updatedAt: new Date().toISOString() };
    await this.db.routePlans.put(row);
    return row;
  }

  async deletePlan(agentId: string, day: string): Promise<void> {
    await this.db.routePlans.delete(routePlanId(agentId, day));
  }

  /** Only one pack is shown at a time, so opening a new one replaces the old (and frees its space). */
  async replaceRegionPack(name: string, file: Blob): Promise<RegionPackRow> {
    const row: RegionPackRow = { id: 'current', name, file, addedAt: new Date().toISOString() };
    await this.db.regionPacks.put(row);
    return row;
  }

  async currentRegionPack(): Promise<RegionPackRow | null> {
    return (await this.db.regionPacks.get('current')) ?? null;
  }

  async removeRegionPack(): Promise<void> {
    await this.db.regionPacks.delete('current');
  }
}

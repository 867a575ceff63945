import { z } from 'zod';
import { IsoDateTime } from '../domain/job';

/** A region pack's file name: letters, digits, dots, dashes, underscores, ending in .pmtiles. */
export const RegionPackName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,95}\.pmtiles$/, 'a region pack is named like chicago.pmtiles');

export const RegionPackSummary = z.object({
  name: RegionPackName,
  size: z.number().int().nonnegative(),
  updatedAt: IsoDateTime,
});
export type RegionPackSummary = z.infer<typeof RegionPackSummary>;

export const RegionPackList = z.object({ regions: z.array(RegionPackSummary) });
export type RegionPackList = z.infer<typeof RegionPackList>;

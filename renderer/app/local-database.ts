import { JobsRepository } from '../db/jobs-repository';
import { RoutePlansRepository } from '../db/route-plans-repository';
import { ReclaimDatabase } from '../db/schema';
import { TileCache } from '../db/tile-cache';

/** The one database of the running app; tests build their own ReclaimDatabase instead. */
export const localDb = new ReclaimDatabase();
export const jobsRepository = new JobsRepository(localDb);
export const routePlansRepository = new RoutePlansRepository(localDb);
export const tileCache = new TileCache(localDb);

import { JobsRepository } from '../db/jobs-repository';
import { ReclaimDatabase } from '../db/schema';

/** The one database of the running app; tests build their own ReclaimDatabase instead. */
export const localDb = new ReclaimDatabase();
export const jobsRepository = new JobsRepository(localDb);

import { useLiveQuery } from 'dexie-react-hooks';
import { propertyState, type PersonalPropertyState } from '../../../shared/domain/personal-property';
import { localDb } from '../../app/local-database';
import type { PersonalPropertyRow, PhotoRow } from '../../db/door-tables';
import { PersonalPropertyRepository } from './personal-property-repository';

/** The app's personal property writer; components call its named functions, never Dexie. */
export const personalPropertyRepository = new PersonalPropertyRepository(localDb);

export interface PersonalPropertyView {
  entry: PersonalPropertyRow;
  state: PersonalPropertyState;
  photos: PhotoRow[];
}

export interface JobPersonalProperty {
  property: PersonalPropertyView[];
  /** Sha256s of these photos still waiting to upload. */
  waitingFiles: Set<string>;
}

/** The job's personal property, oldest first, each with its trail folded into a state. */
export function usePersonalProperty(jobId: string): JobPersonalProperty | undefined {
  return useLiveQuery(async () => {
    const db = localDb;
    const [entries, events, photos] = await Promise.all([
      db.personalProperty.where('jobId').equals(jobId).toArray(),
      db.personalPropertyEvents.where('jobId').equals(jobId).toArray(),
      db.photos.where('jobId').equals(jobId).filter((photo) => photo.subject === 'personal_property').toArray(),
    ]);
    const files = await db.blobs.bulkGet(photos.map((photo) => photo.sha256));
    const property = entries
      .sort((a, b) => (a.foundAt < b.foundAt ? -1 : a.foundAt > b.foundAt ? 1 : 0))
      .map((entry) => ({
        entry,
        state: propertyState(events.filter((event) => event.propertyId === entry.id)),
        photos: photos.filter((photo) => photo.subjectId === entry.id),
      }));
    return { property, waitingFiles: new Set(files.flatMap((row) => (row && row.state !== 'uploaded' ? [row.sha256] : []))) };
  }, [jobId]);
}

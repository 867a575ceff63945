import { v7 } from 'uuid';

/** Record ids are made where the record is made (UUIDv7: time-ordered) and never change. */
export function newId(): string {
  return v7();
}

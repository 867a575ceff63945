import { webcrypto } from 'node:crypto';
import type { ServerContext } from '../context';
import type { DoorServices } from './door-act';

/** Node's WebCrypto is the same API the app signs with, so both sides run the same shared code. */
export function doorServices(context: Pick<ServerContext, 'blobs' | 'orgKey'>): DoorServices {
  const { blobs } = context;
  return {
    blobExists: async (sha256) => (await blobs.size(sha256)) !== null,
    subtle: webcrypto.subtle,
    orgKey: context.orgKey,
  };
}

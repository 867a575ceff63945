import { SyncError } from '../../sync/sync-error';
import { OtherUserPendingError } from './session';

/** Sign-in failures in words for the person at the keyboard. */
export function signInErrorInWords(error: unknown): string {
  if (error instanceof SyncError) {
    if (error.kind === 'offline') {
      return `${error.message} Check the server address and the network connection, then try again.`;
    }
    if (error.kind === 'invalid_response') {
      return 'That address answered, but not like a Reclaim sync server. Check the server address.';
    }
    return error.inWords;
  }
  if (error instanceof OtherUserPendingError) return error.message;
  return 'Signing in failed unexpectedly. Try again; if it keeps failing, tell the office.';
}

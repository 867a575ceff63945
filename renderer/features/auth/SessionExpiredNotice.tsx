import type { StoredSession } from '../../db/meta';
import { SignInForm } from './SignInForm';

/** Shown over the working app: local data stays usable while the agent signs in again. */
export function SessionExpiredNotice({ session }: { session: StoredSession }) {
  return (
    <section className="session-expired" aria-labelledby="session-expired-title">
      <h2 id="session-expired-title">Your session expired — sign in again to sync. Your changes on this device are kept.</h2>
      <SignInForm again={{ serverUrl: session.serverUrl, username: session.user.username }} />
    </section>
  );
}

import { sql, type Kysely } from 'kysely';
import { ProblemError } from '../http/problem';
import type { Database } from '../store/schema';

/**
 * How many failed sign-ins a key may have, and how long the lock lasts once it has had them.
 * The failure that reaches `freeFailures` locks the key for `baseLockMs`, so the very next
 * attempt is answered 429 (after 5 failures, the 6th attempt waits); every failure after a
 * lock ends locks it again for twice as long, up to `maxLockMs`.
 */
export interface ThrottleRule {
  /** Failed attempts answered 401 before the key is locked; the next attempt is refused. */
  readonly freeFailures: number;
  readonly baseLockMs: number;
  readonly maxLockMs: number;
}

export interface LoginThrottlePolicy {
  /** Per user name: slows down guessing one person's password from many addresses. */
  readonly account: ThrottleRule;
  /** Per client address: slows down spraying one password over many user names. */
  readonly address: ThrottleRule;
  /** A key with no failure for this long starts again from zero. */
  readonly forgetAfterMs: number;
}

export const defaultLoginThrottlePolicy: LoginThrottlePolicy = {
  account: { freeFailures: 5, baseLockMs: 30_000, maxLockMs: 60 * 60_000 },
  // An office behind one NAT address shares this budget, hence more room than per account.
  address: { freeFailures: 20, baseLockMs: 30_000, maxLockMs: 60 * 60_000 },
  forgetAfterMs: 24 * 60 * 60_000,
};

/** The lock a key earns with its `failures`-th failure in a row: none until it reaches freeFailures. */
export function lockMs(rule: ThrottleRule, failures: number): number {
  const past = failures - rule.freeFailures;
  if (past < 0) return 0;
  return Math.min(rule.baseLockMs * 2 ** Math.min(past, 30), rule.maxLockMs);
}

export function tooManyAttempts(retryAfterMs: number): ProblemError {
  const minutes = Math.max(1, Math.ceil(retryAfterMs / 60_000));
  // The same words whether the account or the address is locked, and whether the name exists.
  const error = new ProblemError(
    429,
    'rate_limited',
    `Too many sign-in attempts. Wait ${minutes === 1 ? 'a minute' : `${minutes} minutes`} and try again.`,
  );
  return Object.assign(error, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterMs / 1000)) });
}

interface Attempt {
  readonly key: string;
  readonly rule: ThrottleRule;
}

/**
 * Counts a sign-in attempt as a failure *before* the password is checked, in one transaction
 * per key, so a burst of parallel guesses cannot all slip past the lock while the (slow,
 * memory-hard) password check runs. A success takes the attempt back.
 */
export function loginThrottle(db: Kysely<Database>, policy: LoginThrottlePolicy, now: () => Date) {
  async function claim(attempt: Attempt): Promise<number> {
    const at = now();
    const atIso = at.toISOString();
    const forgetBefore = new Date(at.getTime() - policy.forgetAfterMs).toISOString();
    return db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('login_throttle')
        .values({ key: attempt.key, failures: 1, last_failure_at: atIso, locked_until: null })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet({
            failures: sql<number>`case when login_throttle.last_failure_at < ${forgetBefore} then 1 else login_throttle.failures + 1 end`,
            last_failure_at: atIso,
          }),
        )
        .returning(['failures', 'locked_until'])
        .executeTakeFirstOrThrow();
      const failures = Number(row.failures);
      if (row.locked_until !== null && row.locked_until > atIso) {
        // Locked: this try does not count, and it waits as long as the lock says.
        await trx.updateTable('login_throttle').set({ failures: failures - 1 }).where('key', '=', attempt.key).execute();
        return Date.parse(row.locked_until) - at.getTime();
      }
      const lock = lockMs(attempt.rule, failures);
      if (lock > 0) {
        await trx
          .updateTable('login_throttle')
          .set({ locked_until: new Date(at.getTime() + lock).toISOString() })
          .where('key', '=', attempt.key)
          .execute();
      }
      return 0;
    });
  }

  return {
    /** Throws 429 when the account or the address is locked; otherwise the attempt is counted. */
    async admit(username: string, address: string): Promise<void> {
      const attempts: Attempt[] = [
        { key: `account:${username.trim().toLowerCase()}`, rule: policy.account },
        { key: `address:${address}`, rule: policy.address },
      ];
      let waitMs = 0;
      for (const attempt of attempts) waitMs = Math.max(waitMs, await claim(attempt));
      if (waitMs > 0) throw tooManyAttempts(waitMs);
    },

    /** The right password: the account starts afresh and the address gets its attempt back. */
    async succeeded(username: string, address: string): Promise<void> {
      await db.deleteFrom('login_throttle').where('key', '=', `account:${username.trim().toLowerCase()}`).execute();
      const key = `address:${address}`;
      await db
        .updateTable('login_throttle')
        .set({
          failures: sql<number>`case when failures > 0 then failures - 1 else 0 end`,
          // The attempt taken back may have been the one that locked the address.
          locked_until: sql<string | null>`case when failures - 1 < ${policy.address.freeFailures} then null else locked_until end`,
        })
        .where('key', '=', key)
        .execute();
    },
  };
}

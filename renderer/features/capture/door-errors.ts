import type { RuleOverride } from '../../../shared/domain/visit';

/** A rule of the trade warned; nothing was written. The agent may go ahead with a reason. */
export class RuleWarningError extends Error {
  constructor(
    readonly rule: RuleOverride['rule'],
    readonly warning: string,
  ) {
    super(warning);
    this.name = 'RuleWarningError';
  }
}

/** A hard rule refused the record (e.g. items recovered after an objection); no override exists. */
export class DoorRuleError extends Error {
  override readonly name = 'DoorRuleError';
}

/** The device's storage cannot take the file; everything stored before is untouched. */
export class StorageFullError extends Error {
  constructor() {
    super('This laptop has no room for another photo. Nothing already recorded was lost. Sync to free space, or delete files on the laptop, then try again.');
    this.name = 'StorageFullError';
  }
}

/** Dexie and browsers name a full quota differently; this is the one place that knows. */
export function isQuotaError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const inner = (error as Error & { inner?: unknown }).inner;
  return error.name === 'QuotaExceededError' || (inner instanceof Error && inner.name === 'QuotaExceededError');
}

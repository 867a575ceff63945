import { jobStatusLabels, type JobStatus, type TransitionActor } from '../../shared/domain/job-status';

export class NotSignedInError extends Error {
  constructor() {
    super('Sign in before changing a job.');
    this.name = 'NotSignedInError';
  }
}

export class JobNotFoundError extends Error {
  constructor(readonly jobId: string) {
    super('This job is no longer on this device.');
    this.name = 'JobNotFoundError';
  }
}

/** The state machine refused the change; nothing was written. */
export class TransitionNotAllowedError extends Error {
  constructor(
    readonly from: JobStatus,
    readonly to: JobStatus,
    readonly actor: TransitionActor,
  ) {
    super(`A job that is ${jobStatusLabels[from]} cannot become ${jobStatusLabels[to]} from the ${actor === 'field' ? 'field' : 'office'}.`);
    this.name = 'TransitionNotAllowedError';
  }
}

export class InvalidNoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidNoteError';
  }
}

import type { JobStatus } from '../domain/job-status';
import { isFieldFact, jobStatusLabels } from '../domain/job-status';

/**
 * What the server does with an agent's work that arrives after the job was re-assigned away
 * from them (or unassigned). The work happened, offline, before the agent could know: it is
 * kept in the job's history and the job is flagged for the dispatcher. Only a physical fact
 * (items recovered) moves the job's status, because the items really did change hands; a
 * "Start driving" from the old agent must not put the new agent's job en route.
 */
export interface MovedJobDecision {
  readonly moveStatus: boolean;
  readonly reviewReason: string;
}

export function decideMovedJobStatusChange(agentName: string, change: { from: JobStatus; to: JobStatus }): MovedJobDecision {
  const what = `${jobStatusLabels[change.from]} → ${jobStatusLabels[change.to]}`;
  return {
    moveStatus: isFieldFact(change.to),
    reviewReason: `Work arrived for a job that moved: ${agentName} recorded ${what} after the job was taken from them.`,
  };
}

export function movedJobNoteReason(agentName: string): string {
  return `Work arrived for a job that moved: ${agentName} added a note after the job was taken from them.`;
}

/** Door work (a visit, evidence, a custody event) is a physical fact: kept, and the job flagged. */
export function movedJobDoorReason(agentName: string, record: string): string {
  return `Work arrived for a job that moved: ${agentName} recorded ${record} after the job was taken from them.`;
}

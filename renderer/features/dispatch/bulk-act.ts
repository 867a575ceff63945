import { bulkActionWords, planBulk, skipWords, standingWords, type BulkAction, type BulkJob, type BulkPlan } from '../../../shared/dispatch/bulk-action';
import type { BulkResult, SeenJob } from '../../../shared/dispatch/dispatch-api';

/** A selected job as the list or the map shows it: enough for the rule, and a name for people. */
export interface BulkSubject extends BulkJob {
  readonly name: string;
}

/** What the dispatcher asked for, before anything is sent. */
export interface BulkAsk {
  readonly action: BulkAction;
  /** The hold or cancel reason. */
  readonly reason: string;
  readonly plan: BulkPlan<BulkSubject>;
}

export function askFor(action: BulkAction, subjects: readonly BulkSubject[], reason = ''): BulkAsk {
  return { action, reason, plan: planBulk(action, subjects) };
}

/** The jobs to send: those that apply as they are, and (when confirmed) those that needed a yes. */
export function jobsToSend(ask: BulkAsk, withConfirmed: boolean): { jobIds: string[]; seen: SeenJob[] } {
  const plain = ask.plan.apply.map((job) => seenOf(job, false));
  const confirmed = withConfirmed ? ask.plan.confirm.map(({ job }) => seenOf(job, true)) : [];
  const seen = [...plain, ...confirmed];
  return { jobIds: seen.map((entry) => entry.jobId), seen };
}

function seenOf(job: BulkJob, confirmed: boolean): SeenJob {
  return { jobId: job.id, agentId: job.assignedAgentId, status: job.status, confirmed };
}

/** One line of the outcome: what happened to which jobs, named. */
export interface OutcomeLine {
  readonly kind: 'done' | 'skipped' | 'refused';
  readonly text: string;
}

/** A moved job, and where it stood before, so Undo can put it back. */
export interface MovedJob {
  readonly name: string;
  readonly before: BulkJob;
  readonly after: BulkJob;
}

export interface BulkOutcome {
  readonly lines: readonly OutcomeLine[];
  /** Jobs Undo can put back; empty when the act cannot be undone this way (hold, cancel). */
  readonly undoable: readonly MovedJob[];
}

/** Names in a line: all of a few, the first ones of many. */
export function nameList(names: readonly string[], shown = 8): string {
  if (names.length <= shown) return names.join(', ');
  return `${names.slice(0, shown).join(', ')} and ${names.length - shown} more`;
}

function jobs(count: number): string {
  return `${count} job${count === 1 ? '' : 's'}`;
}

/** Jobs left out, grouped by the same words: "Skipped 3 — Closed — cannot be assigned: A, B, C". */
export function skippedLines(ask: BulkAsk, nameOf: (agentId: string) => string): OutcomeLine[] {
  const groups = new Map<string, string[]>();
  for (const { job, reason } of ask.plan.skip) {
    const words = skipWords(ask.action, job, reason, nameOf);
    groups.set(words, [...(groups.get(words) ?? []), job.name]);
  }
  return [...groups].map(([words, names]) => ({ kind: 'skipped', text: `Skipped ${names.length} — ${words}: ${nameList(names)}` }));
}

/**
 * The server's answer in the dispatcher's words, grouped: what was done (with names), what the
 * rule left out and why, and what the server refused and why (a job that changed meanwhile).
 */
export function outcomeOf(ask: BulkAsk, result: BulkResult, nameOf: (agentId: string) => string, declined: readonly BulkSubject[] = []): BulkOutcome {
  const byId = new Map<string, BulkSubject>([...ask.plan.apply, ...ask.plan.confirm.map(({ job }) => job)].map((job) => [job.id, job]));
  const done: MovedJob[] = [];
  const refused: string[] = [];
  for (const entry of result.results) {
    const subject = byId.get(entry.jobId);
    const name = subject?.name ?? 'a job';
    if (entry.outcome === 'done' && entry.job && subject) done.push({ name, before: subject, after: entry.job });
    else refused.push(`${name} — ${entry.reason ?? 'refused'}`);
  }
  const lines: OutcomeLine[] = [];
  const verb = bulkActionWords(ask.action);
  const to = ask.action.kind === 'assign' ? ` to ${nameOf(ask.action.agentId)}` : '';
  if (done.length > 0) {
    const taken = done.filter(({ before }) => before.assignedAgentId !== null && before.assignedAgentId !== (ask.action.kind === 'assign' ? ask.action.agentId : null));
    const from = taken.length > 0 && ask.action.kind === 'assign' ? ` (${taken.length} taken from ${nameList([...new Set(taken.map(({ before }) => nameOf(before.assignedAgentId ?? '')))])})` : '';
    lines.push({ kind: 'done', text: `${capitalise(verb)} ${jobs(done.length)}${to}${from}: ${nameList(done.map(({ name }) => name))}` });
  } else {
    lines.push({ kind: 'done', text: `No job was ${verb}.` });
  }
  if (declined.length > 0) {
    lines.push({ kind: 'skipped', text: `Left with their agents ${declined.length} (you chose not to take them): ${nameList(declined.map((job) => `${job.name} (${standingWords(job, nameOf)})`))}` });
  }
  lines.push(...skippedLines(ask, nameOf));
  if (refused.length > 0) lines.push({ kind: 'refused', text: `Refused ${refused.length}: ${nameList(refused, 12)}` });
  const undoable = ask.action.kind === 'assign' || ask.action.kind === 'unassign' ? done : [];
  return { lines, undoable };
}

/**
 * Undo as requests of the same API with the same guard: each moved job goes back to the agent it
 * came from, confirmed as it stands after the act, so a job that moved on since is refused and
 * reported rather than taken back from whoever has it now.
 */
export function undoRequests(moved: readonly MovedJob[]): { agentId: string | null; jobIds: string[]; seen: SeenJob[] }[] {
  const groups = new Map<string | null, MovedJob[]>();
  for (const job of moved) groups.set(job.before.assignedAgentId, [...(groups.get(job.before.assignedAgentId) ?? []), job]);
  return [...groups].map(([agentId, group]) => ({
    agentId,
    jobIds: group.map(({ after }) => after.id),
    seen: group.map(({ after }) => seenOf(after, true)),
  }));
}

/** The answer to an Undo, in words: what went back, and what could not and why. */
export function undoOutcome(moved: readonly MovedJob[], results: BulkResult['results']): OutcomeLine[] {
  const byId = new Map(moved.map((job) => [job.after.id, job]));
  const back = results.filter((entry) => entry.outcome === 'done').map((entry) => byId.get(entry.jobId)?.name ?? 'a job');
  const kept = results.filter((entry) => entry.outcome === 'refused').map((entry) => `${byId.get(entry.jobId)?.name ?? 'a job'} — ${entry.reason ?? 'refused'}`);
  const lines: OutcomeLine[] = [];
  if (back.length > 0) lines.push({ kind: 'done', text: `Undone: ${jobs(back.length)} back where ${back.length === 1 ? 'it was' : 'they were'}: ${nameList(back)}` });
  if (kept.length > 0) lines.push({ kind: 'refused', text: `Not put back ${kept.length}, changed since: ${nameList(kept, 12)}` });
  return lines;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

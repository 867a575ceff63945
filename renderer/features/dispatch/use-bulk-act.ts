import { useCallback, useState } from 'react';
import type { BulkAction } from '../../../shared/dispatch/bulk-action';
import type { BulkResult } from '../../../shared/dispatch/dispatch-api';
import { askFor, jobsToSend, outcomeOf, skippedLines, undoOutcome, undoRequests, type BulkAsk, type BulkOutcome, type BulkSubject } from './bulk-act';
import type { DispatchData } from './use-dispatch-data';

export interface ShownOutcome extends BulkOutcome {
  /** A new number per outcome, so the bar restarts its Undo countdown. */
  readonly id: number;
  readonly error: string | null;
}

export interface BulkActs {
  /** The question on screen: jobs that leave an agent's list or are under way. */
  readonly asking: BulkAsk | null;
  readonly busy: boolean;
  readonly outcome: ShownOutcome | null;
  readonly nameOf: (agentId: string) => string;
  readonly start: (action: BulkAction, subjects: readonly BulkSubject[], reason?: string) => void;
  /** The answer to the question: take them too (true), or only what nobody has (false). */
  readonly answer: (takeConfirmed: boolean) => void;
  readonly cancel: () => void;
  readonly undo: () => void;
  readonly dismiss: () => void;
}

let outcomes = 0;

/**
 * A bulk act as the list and the map both run it: the shared rule sorts the selection, a
 * question comes first when jobs would leave an agent's list or are under way, the answer is
 * grouped with names, and Undo puts moved jobs back through the same guarded API.
 */
export function useBulkAct(data: DispatchData, onDone: () => Promise<void> | void): BulkActs {
  const [asking, setAsking] = useState<BulkAsk | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<ShownOutcome | null>(null);
  const nameOf = useCallback((agentId: string) => data.agents.find((agent) => agent.id === agentId)?.displayName ?? 'another agent', [data.agents]);

  const show = (shown: BulkOutcome, error: string | null = null) => setOutcome({ ...shown, id: (outcomes += 1), error });

  const send = async (ask: BulkAsk, takeConfirmed: boolean) => {
    const { jobIds, seen } = jobsToSend(ask, takeConfirmed);
    const declined = takeConfirmed ? [] : ask.plan.confirm.map(({ job }) => job);
    if (jobIds.length === 0) {
      show({ lines: outcomeOf(ask, { results: [] }, nameOf, declined).lines, undoable: [] });
      return;
    }
    setBusy(true);
    try {
      const { action } = ask;
      let result: BulkResult;
      if (action.kind === 'assign' || action.kind === 'unassign') {
        result = await data.client.assign({ jobIds, seen, agentId: action.kind === 'assign' ? action.agentId : null });
      } else {
        result = await data.client.holdOrCancel({ jobIds, seen, status: action.kind === 'hold' ? 'on_hold' : 'cancelled', reason: ask.reason });
      }
      show(outcomeOf(ask, result, nameOf, declined));
      await onDone();
    } catch (caught) {
      show({ lines: [], undoable: [] }, caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  const start = (action: BulkAction, subjects: readonly BulkSubject[], reason = '') => {
    const ask = askFor(action, subjects, reason);
    setOutcome(null);
    if (ask.plan.confirm.length > 0) setAsking(ask);
    else if (ask.plan.apply.length === 0) show({ lines: [{ kind: 'done', text: 'Nothing to do: no selected job can be changed this way.' }, ...skippedLines(ask, nameOf)], undoable: [] });
    else void send(ask, false);
  };

  const answer = (takeConfirmed: boolean) => {
    const ask = asking;
    setAsking(null);
    if (ask) void send(ask, takeConfirmed);
  };

  const undo = () => {
    const moved = outcome?.undoable ?? [];
    if (moved.length === 0) return;
    setBusy(true);
    void (async () => {
      try {
        const results: BulkResult['results'] = [];
        for (const request of undoRequests(moved)) results.push(...(await data.client.assign(request)).results);
        show({ lines: undoOutcome(moved, results), undoable: [] });
        await onDone();
      } catch (caught) {
        show({ lines: [], undoable: [] }, caught instanceof Error ? caught.message : String(caught));
      } finally {
        setBusy(false);
      }
    })();
  };

  return { asking, busy, outcome, nameOf, start, answer, cancel: () => setAsking(null), undo, dismiss: () => setOutcome(null) };
}

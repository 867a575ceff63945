import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { JobFilterValues } from './JobFilters';

interface JobsView {
  /** Whose view this is: another user signing in on the laptop starts from a clean list. */
  readonly userId: string | null;
  readonly filters: JobFilterValues;
  readonly selectedJobId: string | null;
}

const allJobs: JobFilterValues = { search: '', status: 'all', due: 'all' };

/**
 * The jobs view's filters and open job, kept outside the component so they outlive it: the
 * lock screen unmounts the whole workspace (nothing of the customer stays in the page), and
 * unlocking brings the agent back to the job they had open. Only ids and the filter live here.
 */
const jobsViewStore = createStore<JobsView>(() => ({ userId: null, filters: allJobs, selectedJobId: null }));

export function useJobsView(userId: string) {
  const view = useStore(jobsViewStore);
  const mine = view.userId === userId ? view : { userId, filters: allJobs, selectedJobId: null };
  return {
    filters: mine.filters,
    selectedJobId: mine.selectedJobId,
    setFilters: (filters: JobFilterValues) => jobsViewStore.setState({ ...mine, filters }),
    setSelectedJobId: (selectedJobId: string | null) => jobsViewStore.setState({ ...mine, selectedJobId }),
  };
}

interface PagerProps {
  readonly page: number;
  readonly pageSize: number;
  readonly total: number;
  readonly onPage: (page: number) => void;
  readonly label: string;
}

/** "Jobs 51–100 of 3,090" with first, previous, next and last: every page of the server's answer is reachable. */
export function Pager({ page, pageSize, total, onPage, label }: PagerProps) {
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const first = total === 0 ? 0 : page * pageSize + 1;
  const last = Math.min(total, (page + 1) * pageSize);
  return (
    <nav className="pager" aria-label={label}>
      <button type="button" className="button-secondary" disabled={page === 0} onClick={() => onPage(0)}>
        First
      </button>
      <button type="button" className="button-secondary" disabled={page === 0} onClick={() => onPage(page - 1)}>
        Previous
      </button>
      <span className="pager-position" aria-live="polite">
        {first.toLocaleString()}–{last.toLocaleString()} of {total.toLocaleString()} · page {(page + 1).toLocaleString()} of {pages.toLocaleString()}
      </span>
      <button type="button" className="button-secondary" disabled={page + 1 >= pages} onClick={() => onPage(page + 1)}>
        Next
      </button>
      <button type="button" className="button-secondary" disabled={page + 1 >= pages} onClick={() => onPage(pages - 1)}>
        Last
      </button>
    </nav>
  );
}

import { useMemo, useState } from 'react';
import type { ImportCounts, ImportReport } from '../../../shared/dispatch/dispatch-api';
import { importColumns } from '../../../shared/dispatch/import-columns';
import { DispatchError, type DispatchClient } from './dispatch-client';
import { importInChunks, reportCsv } from './import-run';

interface Props {
  readonly client: DispatchClient;
  readonly onImported: () => void;
}

type Stage =
  | { kind: 'idle' }
  | { kind: 'checking' }
  | { kind: 'preview'; report: ImportReport }
  | { kind: 'importing'; report: ImportReport; done: number; total: number }
  | { kind: 'imported'; report: ImportReport; counts: ImportCounts };

/** Choose a file → preview with a per-row report → import the good rows with a progress bar. */
export function ImportPanel({ client, onImported }: Props) {
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [stage, setStage] = useState<Stage>({ kind: 'idle' });
  const [error, setError] = useState<string | null>(null);
  const [onlyProblems, setOnlyProblems] = useState(true);

  const choose = async (chosen: File | undefined) => {
    setError(null);
    if (!chosen) return;
    const text = await chosen.text();
    setFile({ name: chosen.name, text });
    setStage({ kind: 'checking' });
    try {
      setStage({ kind: 'preview', report: await client.importCsv(text, true) });
    } catch (caught) {
      setStage({ kind: 'idle' });
      setError(caught instanceof Error ? caught.message : String(caught));
    }
  };

  const runImport = async () => {
    if (!file || stage.kind !== 'preview') return;
    const report = stage.report;
    setError(null);
    try {
      const counts = await importInChunks(client, file.text, (done, total) => setStage({ kind: 'importing', report, done, total }));
      setStage({ kind: 'imported', report, counts });
      onImported();
    } catch (caught) {
      setStage({ kind: 'preview', report });
      setError(caught instanceof DispatchError || caught instanceof Error ? caught.message : String(caught));
    }
  };

  const report = stage.kind === 'preview' || stage.kind === 'importing' || stage.kind === 'imported' ? stage.report : null;
  const download = useMemo(() => (report ? URL.createObjectURL(new Blob([reportCsv(report)], { type: 'text/csv' })) : null), [report]);
  const rows = report ? report.rows.filter((row) => !onlyProblems || row.outcome === 'error' || row.notes.some((note) => note.startsWith('needs a pin'))) : [];

  return (
    <section className="dispatch-panel" aria-labelledby="import-heading">
      <h2 id="import-heading">Import jobs from a CSV file</h2>
      <p className="muted">
        One row per expected item; rows with the same client and account reference become one job. Columns: <span className="monospace">{importColumns.join(', ')}</span>. Re-importing a file updates
        jobs by client + account reference.
      </p>
      <label className="dispatch-file">
        <span>File to import</span>
        <input type="file" accept=".csv,text/csv" onChange={(event) => void choose(event.target.files?.[0])} />
      </label>
      {stage.kind === 'checking' ? <p className="list-message">Checking {file?.name}…</p> : null}
      {error ? <p className="form-error" role="alert">{error}</p> : null}
      {report ? (
        <>
          {report.fileProblems.length > 0 ? (
            <ul className="form-error" role="alert">
              {report.fileProblems.map((problem) => (
                <li key={problem}>{problem}</li>
              ))}
            </ul>
          ) : (
            <p className="import-summary" aria-live="polite">
              {report.counts.rows} rows: <strong>{report.counts.goodRows} good</strong>, <strong className={report.counts.badRows > 0 ? 'is-bad' : ''}>{report.counts.badRows} with problems</strong>.{' '}
              {report.counts.created} new jobs, {report.counts.updated} updated, {report.counts.unchanged} unchanged.
            </p>
          )}
          <div className="import-actions">
            {stage.kind === 'preview' && report.counts.accounts > 0 ? (
              <button type="button" className="button-primary" onClick={() => void runImport()}>
                Import {report.counts.goodRows} good rows
              </button>
            ) : null}
            {download ? (
              <a className="button-secondary" href={download} download={`${file?.name.replace(/\.csv$/i, '') ?? 'import'}-report.csv`}>
                Download the report (CSV)
              </a>
            ) : null}
            <label>
              <input type="checkbox" checked={onlyProblems} onChange={(event) => setOnlyProblems(event.target.checked)} /> Show only rows that need attention
            </label>
          </div>
          {stage.kind === 'importing' ? (
            <p>
              <progress max={stage.total} value={stage.done} aria-label="Import progress" /> {stage.done} of {stage.total} rows
            </p>
          ) : null}
          {stage.kind === 'imported' ? (
            <p className="import-done" role="status">
              Imported: {stage.counts.created} new jobs, {stage.counts.updated} updated, {stage.counts.unchanged} unchanged; {stage.counts.needsPin} need a pin on the map.
            </p>
          ) : null}
          <table className="dispatch-table import-report">
            <thead>
              <tr>
                <th>Row</th>
                <th>Client</th>
                <th>Account</th>
                <th>Serial</th>
                <th>What the preview found</th>
              </tr>
            </thead>
            <tbody>
              {rows.slice(0, 500).map((row) => (
                <tr key={row.row} className={row.outcome === 'error' ? 'is-bad' : ''}>
                  <td>{row.row}</td>
                  <td>{row.client}</td>
                  <td>{row.accountRef}</td>
                  <td className="monospace">{row.serial}</td>
                  <td>{[...row.problems, ...row.notes].join('; ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {rows.length > 500 ? <p className="muted">Showing 500 of {rows.length} rows; the downloaded report has them all.</p> : null}
        </>
      ) : null}
    </section>
  );
}

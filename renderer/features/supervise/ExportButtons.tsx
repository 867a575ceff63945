import { useState } from 'react';
import type { ExportKind, ExportProgress, ExportScope, SuperviseClient } from './supervise-client';
import { SuperviseError } from './supervise-client';

const labels: Record<ExportKind, string> = { pdf: 'Export PDF', bundle: 'Export bundle (zip, verifiable)', csv: 'Export CSV' };

const kilobytes = (bytes: number) => `${Math.round(bytes / 1024).toLocaleString()} KB`;

function progressWords(progress: ExportProgress): string {
  if (progress.phase === 'choosing') return 'Choose where to save the export…';
  if (progress.phase === 'downloading') return 'The server is preparing the export…';
  if (progress.total) return `Saving… ${kilobytes(progress.received)} of ${kilobytes(progress.total)}`;
  return progress.received === 0 ? 'Saving… waiting for the first bytes' : `Saving… ${kilobytes(progress.received)} written`;
}

/** Export buttons: the platform's save first, then progress while the file downloads into it, and the outcome in words. */
export function ExportButtons({ client, scope, kinds }: { client: SuperviseClient; scope: ExportScope; kinds: readonly ExportKind[] }) {
  const [running, setRunning] = useState<ExportKind | null>(null);
  const [progress, setProgress] = useState<ExportProgress>({ phase: 'downloading', received: 0, total: null });
  const [message, setMessage] = useState<string | null>(null);

  async function run(kind: ExportKind) {
    setRunning(kind);
    setProgress({ phase: 'downloading', received: 0, total: null });
    setMessage(null);
    try {
      const saved = await client.download(kind, scope, setProgress);
      if (!saved.saved) setMessage(`Not saved: the save was cancelled. ${saved.name} can be exported again at any time.`);
      else setMessage(`Saved ${saved.location ?? saved.name} (${kilobytes(saved.bytes)}).`);
    } catch (error) {
      setMessage(error instanceof SuperviseError ? error.message : 'The export failed; try again.');
    } finally {
      setRunning(null);
    }
  }

  return (
    <div className="supervise-exports">
      {kinds.map((kind) => (
        <button key={kind} type="button" className="button-secondary" disabled={running !== null} onClick={() => void run(kind)}>
          {labels[kind]}
        </button>
      ))}
      {running ? (
        <span className="supervise-export-progress">
          <progress
            aria-label={`${labels[running]} in progress`}
            max={progress.total ?? undefined}
            value={progress.total ? progress.received : undefined}
            aria-valuetext={progressWords(progress)}
          />{' '}
          {progressWords(progress)}
        </span>
      ) : null}
      {message ? <span role="status">{message}</span> : null}
    </div>
  );
}

import { useState } from 'react';
import type { ExportKind, ExportScope, SuperviseClient } from './supervise-client';
import { SuperviseError } from './supervise-client';

const labels: Record<ExportKind, string> = { pdf: 'Export PDF', bundle: 'Export bundle (JSON, verifiable)', csv: 'Export CSV' };

/** Export buttons with progress (bytes received) and the outcome in words. */
export function ExportButtons({ client, scope, kinds }: { client: SuperviseClient; scope: ExportScope; kinds: readonly ExportKind[] }) {
  const [running, setRunning] = useState<ExportKind | null>(null);
  const [progress, setProgress] = useState(0);
  const [message, setMessage] = useState<string | null>(null);

  async function run(kind: ExportKind) {
    setRunning(kind);
    setProgress(0);
    setMessage(null);
    try {
      const saved = await client.download(kind, scope, setProgress);
      setMessage(`Saved ${saved.name} (${(saved.bytes / 1024).toFixed(0)} KB).`);
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
        <span role="progressbar" aria-label={`${labels[running]} in progress`} aria-valuetext={`${(progress / 1024).toFixed(0)} KB`}>
          Preparing… {(progress / 1024).toFixed(0)} KB received
        </span>
      ) : null}
      {message ? <span role="status">{message}</span> : null}
    </div>
  );
}

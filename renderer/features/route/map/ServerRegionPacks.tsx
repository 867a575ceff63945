import { useRef, useState } from 'react';
import type { RegionPackSummary } from '../../../../shared/api/regions';
import { downloadServerRegionPack, listServerRegionPacks, type DownloadProgress } from './server-region-packs';

interface ServerRegionPacksProps {
  /** Opens and keeps the downloaded pack, exactly like one opened from disk. */
  readonly onDownloaded: (file: File) => void;
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Region packs hosted by the sync server, downloaded while online to use offline. */
export function ServerRegionPacks({ onDownloaded }: ServerRegionPacksProps) {
  const [packs, setPacks] = useState<RegionPackSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [progress, setProgress] = useState<DownloadProgress | null>(null);
  const download = useRef<AbortController | null>(null);

  const check = () => {
    setProblem(null);
    listServerRegionPacks().then(setPacks, (error: unknown) => setProblem(describe(error)));
  };

  const fetchPack = (pack: RegionPackSummary) => {
    const controller = new AbortController();
    download.current = controller;
    setProblem(null);
    setProgress({ receivedBytes: 0, totalBytes: pack.size });
    downloadServerRegionPack(pack, setProgress, controller.signal)
      .then(onDownloaded, (error: unknown) => {
        if (!controller.signal.aborted) setProblem(describe(error));
      })
      .finally(() => setProgress(null));
  };

  return (
    <div>
      <button type="button" className="button-secondary" onClick={check} disabled={progress !== null}>
        Check the sync server for region packs
      </button>
      {packs && packs.length === 0 ? <p className="muted">The sync server hosts no region packs yet.</p> : null}
      {packs && packs.length > 0 ? (
        <ul className="plain-list">
          {packs.map((pack) => (
            <li key={pack.name}>
              {pack.name} <span className="muted">{megabytes(pack.size)}</span>{' '}
              <button type="button" className="button-link" onClick={() => fetchPack(pack)} disabled={progress !== null}>
                Download {pack.name}
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {progress ? (
        <div className="map-panel-progress">
          <progress max={progress.totalBytes} value={progress.receivedBytes} aria-label="Downloading region pack" />
          <span>
            {megabytes(progress.receivedBytes)} / {megabytes(progress.totalBytes)}
          </span>
          <button type="button" className="button-link" onClick={() => download.current?.abort()}>
            Cancel download
          </button>
        </div>
      ) : null}
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </div>
  );
}

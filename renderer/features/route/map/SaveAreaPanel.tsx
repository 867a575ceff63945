import { useEffect, useRef, useState } from 'react';
import { saveAreaForOffline, maxTilesPerSave, type AreaSaveProgress } from './area-download';
import { bulkDownloadRefusal } from './bulk-policy';
import { averageTileBytes } from './tile-source';
import { countTiles, estimateBytes, formatBytes, type LatLonBounds } from './tile-math';

interface SaveAreaPanelProps {
  readonly template: string;
  readonly permitsBulk: boolean;
  readonly view: { bounds: LatLonBounds; zoom: number } | null;
}

/** Layer 2: "Save this area for offline", with the cost shown before anything is fetched. */
export function SaveAreaPanel({ template, permitsBulk, view }: SaveAreaPanelProps) {
  const refusal = bulkDownloadRefusal(template, permitsBulk);
  const [extraZooms, setExtraZooms] = useState(2);
  const [average, setAverage] = useState<number | null>(null);
  const [progress, setProgress] = useState<AreaSaveProgress | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const running = useRef<AbortController | null>(null);

  useEffect(() => {
    void averageTileBytes(template).then(setAverage);
  }, [template]);
  useEffect(() => () => running.current?.abort(), []);

  if (!view) return null;
  const minZoom = Math.max(0, Math.round(view.zoom));
  const maxZoom = Math.min(19, minZoom + extraZooms);
  const tiles = countTiles(view.bounds, minZoom, maxZoom);
  const tooMany = tiles > maxTilesPerSave;

  const start = async () => {
    const controller = new AbortController();
    running.current = controller;
    setMessage(null);
    setProgress({ done: 0, failed: 0, total: tiles });
    try {
      const result = await saveAreaForOffline({ template, permitsBulk, bounds: view.bounds, minZoom, maxZoom }, setProgress, controller.signal);
      setMessage(
        controller.signal.aborted
          ? `Cancelled after ${result.done} of ${result.total} tiles; those are kept.`
          : `Saved ${result.done - result.failed} tiles${result.failed > 0 ? `; ${result.failed} could not be fetched` : ''}.`,
      );
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    } finally {
      running.current = null;
      setProgress(null);
    }
  };

  return (
    <section className="map-panel-section" aria-labelledby="save-area-heading">
      <h3 id="save-area-heading">Save this area for offline</h3>
      {refusal ? (
        <p className="map-panel-refusal" role="note">
          {refusal}
        </p>
      ) : (
        <>
          <label className="map-panel-field">
            Zoom levels {minZoom}–{maxZoom}
            <input type="range" min={0} max={4} value={extraZooms} onChange={(event) => setExtraZooms(Number(event.target.value))} aria-label="Extra zoom levels" />
          </label>
          <p className="muted">
            {tiles.toLocaleString()} tiles, about {formatBytes(estimateBytes(tiles, average))}
            {tooMany ? ` — more than ${maxTilesPerSave.toLocaleString()}; zoom in or save fewer levels.` : ''}
          </p>
        </>
      )}
      {progress ? (
        <div className="map-panel-progress">
          <progress max={progress.total} value={progress.done} aria-label="Saving tiles" />
          <span>
            {progress.done} / {progress.total}
          </span>
          <button type="button" className="button-secondary" onClick={() => running.current?.abort()}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" className="button-secondary" disabled={refusal !== null || tooMany} onClick={() => void start()}>
          Save this area
        </button>
      )}
      {message ? <p role="status">{message}</p> : null}
    </section>
  );
}

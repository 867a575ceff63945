import type { OpenRegionPack } from './region-pack';
import { ServerRegionPacks } from './ServerRegionPacks';

interface RegionPackPanelProps {
  readonly pack: OpenRegionPack | null;
  readonly problem: string | null;
  readonly onOpenFile: (file: File) => void;
  readonly onRemove: () => void;
}

/** Layer 3: a PMTiles region pack from disk or from the sync server, kept on the device. */
export function RegionPackPanel({ pack, problem, onOpenFile, onRemove }: RegionPackPanelProps) {
  return (
    <section className="map-panel-section" aria-labelledby="region-pack-heading">
      <h3 id="region-pack-heading">Region pack</h3>
      {pack ? (
        <p>
          <strong>{pack.name}</strong>{' '}
          <span className="muted">
            {pack.kind === 'vector' ? 'vector map, drawn on this laptop' : 'map images'} · zooms {pack.minZoom}–{pack.maxZoom}
          </span>{' '}
          <button type="button" className="button-link" onClick={onRemove}>
            Remove
          </button>
        </p>
      ) : (
        <p className="muted">
          None open. A region pack (.pmtiles, with map images or vector tiles) shows the map of a whole operating area with no signal.
        </p>
      )}
      <label className="button-secondary file-button">
        Open a region pack…
        <input
          type="file"
          accept=".pmtiles"
          className="visually-hidden"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) onOpenFile(file);
            event.target.value = '';
          }}
        />
      </label>
      <ServerRegionPacks onDownloaded={onOpenFile} />
      {problem ? (
        <p className="form-error" role="alert">
          {problem}
        </p>
      ) : null}
    </section>
  );
}

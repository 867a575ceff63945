import { useState, type FormEvent } from 'react';
import { checkRouteSettings, defaultRouteSettings, useRouteSettings, type RouteSettings } from './route-settings';

type Draft = Record<keyof Omit<RouteSettings, 'depot' | 'startFrom' | 'returnToStart' | 'tileSourcePermitsBulk'>, string> & {
  startFrom: RouteSettings['startFrom'];
  returnToStart: boolean;
  tileSourcePermitsBulk: boolean;
  depotLat: string;
  depotLon: string;
  depotLabel: string;
};

function toDraft(s: RouteSettings): Draft {
  return {
    ...s,
    serviceMinutes: String(s.serviceMinutes),
    detourFactor: String(s.detourFactor),
    averageSpeedKmh: String(s.averageSpeedKmh),
    depotLat: s.depot ? String(s.depot.lat) : '',
    depotLon: s.depot ? String(s.depot.lon) : '',
    depotLabel: s.depot?.label ?? 'Depot',
  };
}

function fromDraft(d: Draft): RouteSettings {
  const { depotLat, depotLon, depotLabel, ...rest } = d;
  return {
    ...rest,
    serviceMinutes: Number(d.serviceMinutes),
    detourFactor: Number(d.detourFactor),
    averageSpeedKmh: Number(d.averageSpeedKmh),
    depot: depotLat.trim() !== '' && depotLon.trim() !== '' ? { lat: Number(depotLat), lon: Number(depotLon), label: depotLabel.trim() || 'Depot' } : null,
  };
}

/** Start point, working day, travel assumptions and map sources; kept on this device. */
export function RouteSettingsPanel() {
  const { settings, update } = useRouteSettings();
  const [draft, setDraft] = useState<Draft>(() => toDraft(settings));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const field = (key: keyof Draft) => ({
    value: String(draft[key]),
    onChange: (event: { target: { value: string } }) => {
      setSaved(false);
      setDraft({ ...draft, [key]: event.target.value });
    },
  });
  const check = (key: 'returnToStart' | 'tileSourcePermitsBulk') => ({
    checked: draft[key],
    onChange: (event: { target: { checked: boolean } }) => setDraft({ ...draft, [key]: event.target.checked }),
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = fromDraft(draft);
    const error = checkRouteSettings(next);
    setProblem(error);
    if (error === null) {
      update(next);
      setSaved(true);
    }
  };

  return (
    <details className="route-settings">
      <summary>Route settings</summary>
      <form onSubmit={submit} className="route-settings-form">
        <label>
          Start the day from
          <select value={draft.startFrom} onChange={(event) => setDraft({ ...draft, startFrom: event.target.value === 'depot' ? 'depot' : 'position' })}>
            <option value="position">My location (depot if unavailable)</option>
            <option value="depot">The depot</option>
          </select>
        </label>
        <div className="settings-row">
          <label>
            Depot latitude
            <input inputMode="decimal" {...field('depotLat')} />
          </label>
          <label>
            Depot longitude
            <input inputMode="decimal" {...field('depotLon')} />
          </label>
        </div>
        <label>
          Depot name
          <input {...field('depotLabel')} />
        </label>
        <label className="settings-check">
          <input type="checkbox" {...check('returnToStart')} /> Return to the start at the end of the day
        </label>
        <div className="settings-row">
          <label>
            Day starts
            <input type="time" {...field('dayStart')} />
          </label>
          <label>
            Day ends
            <input type="time" {...field('dayEnd')} />
          </label>
        </div>
        <div className="settings-row">
          <label>
            Minutes per stop
            <input type="number" min={0} max={480} {...field('serviceMinutes')} />
          </label>
          <label>
            Road detour
            <input type="number" step={0.05} min={1} max={3} {...field('detourFactor')} />
          </label>
          <label>
            Average km/h
            <input type="number" min={5} max={130} {...field('averageSpeedKmh')} />
          </label>
        </div>
        <label>
          Routing service (OSRM) address
          <input type="url" placeholder="https://osrm.example.org" {...field('osrmUrl')} />
        </label>
        <label>
          Map tiles address
          <input {...field('tileUrl')} />
        </label>
        <label>
          Map attribution
          <input {...field('tileAttribution')} />
        </label>
        <label className="settings-check">
          <input type="checkbox" {...check('tileSourcePermitsBulk')} /> This tile source permits saving whole areas (our own tile server)
        </label>
        <label>
          Region pack address (PMTiles)
          <input type="url" placeholder="https://sync.example.org/api/v1/regions/chicago.pmtiles" {...field('regionPackUrl')} />
        </label>
        {problem ? (
          <p className="form-error" role="alert">
            {problem}
          </p>
        ) : null}
        <div className="settings-actions">
          <button type="submit" className="button-primary">
            Save settings
          </button>
          <button type="button" className="button-link" onClick={() => setDraft(toDraft(defaultRouteSettings))}>
            Restore defaults
          </button>
          {saved ? <span role="status">Saved.</span> : null}
        </div>
      </form>
    </details>
  );
}

import { useEffect, useState } from 'react';
import type { DashboardFigures } from '../../../shared/supervise/supervise-api';
import { SuperviseError, type SuperviseClient } from './supervise-client';

function Bars({ rows, label }: { rows: readonly { name: string; value: number }[]; label: string }) {
  const max = Math.max(1, ...rows.map((row) => row.value));
  return (
    <svg className="supervise-bars" viewBox={`0 0 320 ${rows.length * 22 + 4}`} role="img" aria-label={label}>
      {rows.map((row, index) => (
        <g key={row.name} transform={`translate(0 ${index * 22 + 2})`}>
          <text x="0" y="14" className="supervise-chart-label">
            {row.name.length > 22 ? `${row.name.slice(0, 21)}…` : row.name}
          </text>
          <rect x="140" y="3" height="14" width={(row.value / max) * 150} className="supervise-bar" />
          <text x={146 + (row.value / max) * 150} y="14" className="supervise-chart-value">
            {row.value}
          </text>
        </g>
      ))}
    </svg>
  );
}

function PerDay({ days }: { days: DashboardFigures['recoveriesPerDay'] }) {
  const max = Math.max(1, ...days.map((day) => day.items));
  const width = 8;
  return (
    <svg className="supervise-columns" viewBox={`0 0 ${days.length * (width + 2)} 90`} role="img" aria-label="Items recovered per day">
      {days.map((day, index) => (
        <rect key={day.day} x={index * (width + 2)} y={80 - (day.items / max) * 76} width={width} height={(day.items / max) * 76} className="supervise-bar">
          <title>{`${day.day}: ${day.items}`}</title>
        </rect>
      ))}
      <line x1="0" x2={days.length * (width + 2)} y1="80.5" y2="80.5" className="supervise-axis" />
      <text x="0" y="90" className="supervise-chart-label">
        {days[0]?.day}
      </text>
      <text x={days.length * (width + 2)} y="90" textAnchor="end" className="supervise-chart-label">
        {days.at(-1)?.day}
      </text>
    </svg>
  );
}

/** Recoveries per day and per agent, recovery rate, outstanding items, days to recovery. */
export function DashboardPanel({ client }: { client: SuperviseClient }) {
  const [figures, setFigures] = useState<DashboardFigures | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => {
    client.dashboard(28).then(setFigures, (error: unknown) => setMessage(error instanceof SuperviseError ? error.message : 'The figures could not be loaded.'));
  }, [client]);
  if (message) return <p role="alert">{message}</p>;
  if (!figures) return <p className="list-message">Loading the figures…</p>;
  const total = figures.recoveriesPerDay.reduce((sum, day) => sum + day.items, 0);
  return (
    <section className="supervise-dashboard" aria-label="Dashboard">
      <div className="supervise-tiles">
        <p>
          <strong data-testid="recovered-total">{total}</strong> items recovered in 28 days
        </p>
        <p>
          <strong>{figures.recoveryRate === null ? '—' : `${Math.round(figures.recoveryRate * 100)}%`}</strong> recovery rate on worked jobs
        </p>
        <p>
          <strong>{figures.averageDaysAssignmentToRecovery ?? '—'}</strong> days from assignment to recovery, on average
        </p>
      </div>
      <figure>
        <figcaption>Items recovered per day</figcaption>
        <PerDay days={figures.recoveriesPerDay} />
      </figure>
      <figure>
        <figcaption>Items recovered per agent</figcaption>
        <Bars label="Items recovered per agent" rows={figures.recoveriesPerAgent.map((row) => ({ name: row.agentName, value: row.items }))} />
      </figure>
      <figure>
        <figcaption>Items outstanding by client</figcaption>
        <Bars label="Items outstanding by client" rows={figures.outstandingByClient.map((row) => ({ name: row.clientName, value: row.items }))} />
      </figure>
    </section>
  );
}

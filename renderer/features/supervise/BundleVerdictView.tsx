import type { BundleProblem, BundleVerdict } from '../../../shared/trust/bundle-verdict';
import { Role } from '../../../shared/domain/roles';
import { formatMoment } from '../../ui/date-format';
import { roleLabels } from '../auth/role-labels';
import { FingerprintText } from '../trust/FingerprintText';

const kindWords: Record<string, string> = {
  collected: 'Collected',
  transferred: 'Handed over',
  received: 'Received',
  sealed: 'Sealed',
  corrected: 'Corrected',
  disposed: 'Disposed',
  returned_to_client: 'Returned to client',
};

/** A role as people read it; a role this app does not know is shown as written. */
function roleWords(role: string): string {
  const known = Role.safeParse(role);
  return known.success ? roleLabels[known.data].toLowerCase() : role;
}

function headline(verdict: BundleVerdict): { tone: 'intact' | 'broken' | 'warning'; title: string; words: string } {
  const { status, problem, summary } = verdict;
  if (status === 'intact') {
    return {
      tone: 'intact',
      title: 'Intact',
      words: `${summary.events} event${summary.events === 1 ? '' : 's'}, ${summary.items} item${summary.items === 1 ? '' : 's'}, signed by the organisation you pinned; every file, hash, signature, certificate, log proof and chain checks out.`,
    };
  }
  if (status === 'unpinned') {
    return { tone: 'warning', title: 'Not pinned', words: 'Everything checks out against the key the bundle carries, but no organisation was pinned, so nothing ties it to one: anyone can build a bundle that passes these checks with their own key.' };
  }
  if (problem?.code === 'foreign_organisation') {
    return { tone: 'broken', title: 'Not from the organisation you pinned', words: `This bundle is signed by the organisation key ${problem.found ?? '?'}, which is not the pinned key and does not descend from it: it is another organisation's record, or it was rebuilt and re-signed by someone else.` };
  }
  if (status === 'unreadable') return { tone: 'broken', title: 'Unreadable', words: `This file cannot be read as a custody bundle: ${problem?.reason ?? 'no reason given'}.` };
  return { tone: 'broken', title: 'Tampered', words: `${problem?.reason ?? 'Something in the bundle was changed.'}` };
}

function ProblemPlace({ problem }: { problem: BundleProblem }) {
  const places: [string, string][] = [];
  if (problem.file) places.push(['File', problem.file]);
  if (problem.eventNumber !== null) places.push(['Event', `${problem.eventNumber}${problem.eventId ? ` (${problem.eventId})` : ''}`]);
  if (problem.field) places.push(['Field', problem.field]);
  if (problem.expected) places.push(['Expected', problem.expected]);
  if (problem.found) places.push(['Found', problem.found]);
  if (places.length === 0) return null;
  return (
    <dl className="supervise-problem" aria-label="Where">
      {places.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** A bundle verdict in words: intact, tampered (what and where), unreadable or not pinned, then what it holds. */
export function BundleVerdictView({ verdict }: { verdict: BundleVerdict }) {
  const { tone, title, words } = headline(verdict);
  const { summary, problem } = verdict;
  return (
    <div className="supervise-bundle-verdict">
      <p className={`supervise-verdict supervise-verdict-${tone}`} role={tone === 'intact' ? 'status' : 'alert'} data-testid="verdict" data-status={verdict.status}>
        <strong>{title}</strong> — {words}
      </p>
      {problem && verdict.status !== 'intact' ? <ProblemPlace problem={problem} /> : null}
      <dl className="supervise-bundle-summary">
        {summary.organisation.fingerprint ? (
          <>
            <dt>Signed by organisation key</dt>
            <dd>
              <FingerprintText fingerprint={summary.organisation.fingerprint} label="Bundle organisation fingerprint" />
            </dd>
          </>
        ) : null}
        {summary.generatedBy && summary.generatedAt ? (
          <>
            <dt>Exported</dt>
            <dd>
              {formatMoment(summary.generatedAt)} by {summary.generatedBy.name}, {roleWords(summary.generatedBy.role)}
            </dd>
          </>
        ) : null}
        {summary.jobs.length > 0 ? (
          <>
            <dt>Jobs</dt>
            <dd>{summary.jobs.map((job) => job.accountRef).join(', ')}</dd>
          </>
        ) : null}
        {summary.checkpoint ? (
          <>
            <dt>Custody log checkpoint</dt>
            <dd>
              {summary.checkpoint.size} record{summary.checkpoint.size === 1 ? '' : 's'}, signed {formatMoment(summary.checkpoint.time)}
            </dd>
          </>
        ) : null}
        {summary.evidenceNotHeld.length > 0 ? (
          <>
            <dt>Not held at export</dt>
            <dd>
              {summary.evidenceNotHeld.length} photo{summary.evidenceNotHeld.length === 1 ? '' : 's'} or signature{summary.evidenceNotHeld.length === 1 ? '' : 's'} the server did not have
            </dd>
          </>
        ) : null}
      </dl>
      {summary.signers.length > 0 ? (
        <table className="supervise-table" aria-label="Who signed each event">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Event</th>
              <th scope="col">Signed by</th>
              <th scope="col">Certified device</th>
              <th scope="col">Device time</th>
              <th scope="col">Logged by the server</th>
            </tr>
          </thead>
          <tbody>
            {summary.signers.map((signer) => (
              <tr key={signer.eventId}>
                <td>{signer.eventNumber}</td>
                <td>{kindWords[signer.kind] ?? signer.kind}</td>
                <td>
                  {signer.displayName} <span className="supervise-muted">({signer.userName}, {roleWords(signer.role)})</span>
                </td>
                <td>
                  {signer.displayName}’s laptop{' '}
                  <span className="supervise-muted supervise-serial">
                    device {signer.deviceId}, certificate {signer.certificateSerial}
                  </span>
                </td>
                <td>{formatMoment(signer.at)}</td>
                <td>{formatMoment(signer.loggedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <details className="supervise-checks" data-testid="verdict-checks">
        <summary>What was checked ({verdict.checks.length})</summary>
        <ol>
          {verdict.checks.map((check, index) => (
            <li key={index}>{check}</li>
          ))}
        </ol>
      </details>
    </div>
  );
}

import { useEffect, useState } from 'react';
import type { SuperviseClient } from './supervise-client';

/** A photo or signature fetched with the session's token; a click shows it full size. */
export function EvidenceImage({ client, sha256, label }: { client: SuperviseClient; sha256: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let made: string | null = null;
    client.evidenceUrl(sha256).then(
      (objectUrl) => {
        made = objectUrl;
        if (cancelled) URL.revokeObjectURL(objectUrl);
        else setUrl(objectUrl);
      },
      () => setFailed(true),
    );
    return () => {
      cancelled = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [client, sha256]);

  if (failed) return <span className="supervise-evidence-missing">{label}: not on the server</span>;
  return (
    <>
      <button type="button" className="supervise-evidence" onClick={() => setOpen(true)} title={`${label} ${sha256}`}>
        {url ? <img src={url} alt={label} /> : <span>Loading…</span>}
      </button>
      {open && url ? (
        <div className="supervise-lightbox" role="dialog" aria-label={label} onClick={() => setOpen(false)}>
          <img src={url} alt={`${label}, full size`} />
          <p>
            {label} · SHA-256 {sha256} · click to close
          </p>
        </div>
      ) : null}
    </>
  );
}

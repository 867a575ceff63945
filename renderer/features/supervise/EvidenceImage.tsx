import { useEffect, useState } from 'react';
import { ModalDialog } from '../../ui/ModalDialog';
import type { SuperviseClient } from './supervise-client';

/**
 * A photo or signature fetched with the session's token; a click shows it full size in a modal
 * <dialog>, which keeps the focus inside, closes on Escape and gives the focus back to the image.
 */
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
        <ModalDialog className="supervise-lightbox" label={label} onClose={() => setOpen(false)} closeOnClick>
          <img src={url} alt={`${label}, full size`} />
          <p>
            {label} · SHA-256 {sha256} · click or press Escape to close
          </p>
          <button type="button" className="button-secondary" autoFocus onClick={() => setOpen(false)}>
            Close
          </button>
        </ModalDialog>
      ) : null}
    </>
  );
}

import { useEffect, useRef, useState } from 'react';
import type { SuperviseClient } from './supervise-client';

/**
 * A photo or signature fetched with the session's token; a click shows it full size in a modal
 * <dialog>, which keeps the focus inside, closes on Escape and gives the focus back to the image.
 */
export function EvidenceImage({ client, sha256, label }: { client: SuperviseClient; sha256: string; label: string }) {
  const [url, setUrl] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const [open, setOpen] = useState(false);
  const viewer = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
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

  useEffect(() => {
    const dialog = viewer.current;
    if (!open || !dialog) return undefined;
    dialog.showModal();
    return () => {
      if (dialog.open) dialog.close();
      opener.current?.focus();
    };
  }, [open, url]);

  if (failed) return <span className="supervise-evidence-missing">{label}: not on the server</span>;
  return (
    <>
      <button type="button" ref={opener} className="supervise-evidence" onClick={() => setOpen(true)} title={`${label} ${sha256}`}>
        {url ? <img src={url} alt={label} /> : <span>Loading…</span>}
      </button>
      {open && url ? (
        // Escape fires `close` (the browser closes a modal dialog itself); any click closes it too.
        <dialog ref={viewer} className="supervise-lightbox" aria-label={label} onClose={() => setOpen(false)} onClick={() => setOpen(false)}>
          <img src={url} alt={`${label}, full size`} />
          <p>
            {label} · SHA-256 {sha256} · click or press Escape to close
          </p>
          <button type="button" className="button-secondary" autoFocus onClick={() => setOpen(false)}>
            Close
          </button>
        </dialog>
      ) : null}
    </>
  );
}

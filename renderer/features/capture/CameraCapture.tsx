import { useEffect, useRef, useState } from 'react';
import type { IScannerControls } from '@zxing/browser';
import { closeCamera, grabFrame, openCamera } from './camera';

type Mode = 'photo' | 'scan';

interface Props {
  mode: Mode;
  /** A photo taken (photo mode). */
  onPhoto?: (file: File) => void;
  /** A barcode read (scan mode); matched to the expected items like a wedge scan. */
  onScan?: (text: string) => void;
}

/**
 * The laptop's camera in a small panel: take photos, or read serial barcodes (@zxing/browser,
 * loaded only when a scan starts). With no camera it says so; the file picker remains.
 */
export function CameraCapture({ mode, onPhoto, onScan }: Props) {
  const video = useRef<HTMLVideoElement>(null);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [lastRead, setLastRead] = useState<string | null>(null);
  const label = mode === 'photo' ? 'camera' : 'barcode scanner';
  // The reader keeps running across renders; it calls whatever handler is current.
  const scanned = useRef(onScan);
  scanned.current = onScan;

  useEffect(() => () => closeCamera(stream), [stream]);

  useEffect(() => {
    if (!stream || !video.current) return undefined;
    video.current.srcObject = stream;
    void video.current.play().catch(() => undefined);
    if (mode !== 'scan') return undefined;
    let controls: IScannerControls | null = null;
    let stopped = false;
    // The reader sees a label several times a second for as long as it is held up; each code is
    // reported once while the camera is open, or every look at it would record the item again.
    const seen = new Set<string>();
    void import('@zxing/browser').then(async ({ BrowserMultiFormatReader }) => {
      if (stopped || !video.current) return;
      const reader = new BrowserMultiFormatReader();
      controls = await reader.decodeFromStream(stream, video.current, (result) => {
        const text = result?.getText().trim();
        if (!text || seen.has(text)) return;
        seen.add(text);
        setLastRead(text);
        scanned.current?.(text);
      });
      if (stopped) controls.stop();
    }).catch(() => setError('The barcode reader could not start. Type the serial instead.'));
    return () => {
      stopped = true;
      controls?.stop();
    };
  }, [stream, mode]);

  async function start() {
    setError(null);
    setLastRead(null);
    try {
      setStream(await openCamera());
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The camera could not start.');
    }
  }

  function stop() {
    closeCamera(stream);
    setStream(null);
  }

  async function take() {
    if (!video.current) return;
    try {
      onPhoto?.(await grabFrame(video.current));
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The photo could not be taken.');
    }
  }

  return (
    <div className="camera-capture">
      {stream ? (
        <>
          <video ref={video} muted playsInline className="camera-preview" aria-label={`${label} preview`} />
          <div className="door-actions">
            {mode === 'photo' ? <button type="button" className="button-primary" onClick={() => void take()}>Take photo</button> : <span role="status">{lastRead ? `Read ${lastRead}. Hold the next barcode in front of the camera…` : 'Hold the barcode in front of the camera…'}</span>}
            <button type="button" className="button-secondary" onClick={stop}>Close {label}</button>
          </div>
        </>
      ) : (
        <button type="button" className="button-secondary" onClick={() => void start()}>{mode === 'photo' ? 'Use the camera' : 'Scan with the camera'}</button>
      )}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
    </div>
  );
}

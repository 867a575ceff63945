import { useEffect, useState, type DragEvent } from 'react';
import type { ExpectedItem } from '../../../shared/domain/job';
import type { PhotoRow } from '../../db/door-tables';
import { CameraCapture } from './CameraCapture';
import { currentPlace, doorRepository } from './door-data';
import { preparePhoto } from './photo-pipeline';

export function PhotoThumbnail({ photo, index, waiting }: { photo: PhotoRow; index: number; waiting: boolean }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!photo.thumbnail) return undefined;
    const made = URL.createObjectURL(photo.thumbnail);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [photo.thumbnail]);
  return (
    <li className="photo-thumb">
      {url ? <img src={url} alt={`Photo ${index + 1}`} /> : <span className="photo-placeholder">Photo {index + 1} (on the server)</span>}
      <span className="muted">{photo.subject === 'serial_plate' ? 'Serial plate · ' : ''}{photo.width}×{photo.height}{waiting ? ' · waiting to upload' : ''}</span>
    </li>
  );
}

/** Photos by file picker or drag-and-drop, several at once; each is resized and hashed here. */
export function PhotoCapture({ jobId, photos, waitingFiles, items = [] }: { jobId: string; photos: readonly PhotoRow[]; waitingFiles: ReadonlySet<string>; items?: readonly ExpectedItem[] }) {
  const [busy, setBusy] = useState(0);
  // '' is the job itself; an item id means a photo of that item's serial plate (a client may demand one each).
  const [plateOf, setPlateOf] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function addFiles(files: readonly File[]) {
    setError(null);
    const images = files.filter((file) => file.type.startsWith('image/'));
    if (images.length < files.length) setError('Only image files can be added as photos.');
    setBusy(images.length);
    const place = await currentPlace();
    for (const file of images) {
      try {
        const image = await preparePhoto(file);
        await doorRepository.addPhoto({ jobId, subject: plateOf ? 'serial_plate' : 'job', subjectId: plateOf || null, image, place });
      } catch (caught) {
        setError(caught instanceof Error ? `${file.name}: ${caught.message}` : `${file.name} could not be added.`);
      }
      setBusy((left) => left - 1);
    }
  }

  function drop(event: DragEvent<HTMLDivElement>) {
    event.preventDefault();
    setDragging(false);
    void addFiles([...event.dataTransfer.files]);
  }

  return (
    <section aria-labelledby="photos-heading" className="door-section">
      <h4 id="photos-heading">Photos</h4>
      <div
        className={`photo-drop${dragging ? ' photo-drop-active' : ''}`}
        onDragOver={(event) => { event.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={drop}
        data-testid="photo-drop"
      >
        {items.length > 0 ? (
          <label>
            Photo of
            <select value={plateOf} onChange={(event) => setPlateOf(event.target.value)}>
              <option value="">the job</option>
              {items.map((item) => <option key={item.id} value={item.id}>serial plate of {item.serial}</option>)}
            </select>
          </label>
        ) : null}
        <label className="button-secondary photo-pick">
          Add photos
          <input type="file" accept="image/*" multiple className="visually-hidden" onChange={(event) => { void addFiles([...(event.target.files ?? [])]); event.target.value = ''; }} />
        </label>
        <span className="muted">or drop image files here</span>
        <CameraCapture mode="photo" onPhoto={(file) => void addFiles([file])} />
        {busy > 0 ? <span role="status">Preparing {busy} photo{busy === 1 ? '' : 's'}…</span> : null}
      </div>
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <ul className="photo-list" aria-label="Photos of this job">
        {photos.map((photo, index) => <PhotoThumbnail key={photo.id} photo={photo} index={index} waiting={waitingFiles.has(photo.sha256)} />)}
      </ul>
    </section>
  );
}

import { useEffect, useState, type FormEvent } from 'react';
import { CameraCapture } from './CameraCapture';
import { currentPlace } from './door-data';
import { personalPropertyRepository } from './personal-property-data';
import { preparePhoto, type PreparedImage } from './photo-pipeline';

export interface PropertyItemChoice {
  id: string;
  label: string;
}

function PreparedPreview({ image, index }: { image: PreparedImage; index: number }) {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    const made = URL.createObjectURL(image.thumbnail ?? image.blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [image]);
  return <li className="photo-thumb">{url ? <img src={url} alt={`Photo ${index + 1} of the belongings`} /> : null}</li>;
}

/** Lists one find: what, where, with which item, and photos taken or imported through the photo pipeline. */
interface Props {
  jobId: string;
  items: readonly PropertyItemChoice[];
  onRecorded: () => void;
  onCancel: () => void;
}

export function FoundPropertyForm({ jobId, items, onRecorded, onCancel }: Props) {
  const [description, setDescription] = useState('');
  const [foundWhere, setFoundWhere] = useState('');
  const [itemId, setItemId] = useState('');
  const [images, setImages] = useState<PreparedImage[]>([]);
  const [preparing, setPreparing] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function addFiles(files: readonly File[]) {
    setError(null);
    const pictures = files.filter((file) => file.type.startsWith('image/'));
    if (pictures.length < files.length) setError('Only image files can be added as photos.');
    setPreparing(pictures.length);
    for (const file of pictures) {
      try {
        const image = await preparePhoto(file);
        setImages((held) => [...held, image]);
      } catch (caught) {
        setError(caught instanceof Error ? `${file.name}: ${caught.message}` : `${file.name} could not be added.`);
      }
      setPreparing((left) => left - 1);
    }
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await personalPropertyRepository.recordFound({ jobId, itemId: itemId || null, description, foundWhere, images, place: await currentPlace() });
      setDescription('');
      setFoundWhere('');
      setItemId('');
      setImages([]);
      onRecorded();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The belongings could not be recorded.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="door-form property-form" onSubmit={(event) => void submit(event)} noValidate aria-label="Record personal property">
      <div className="door-fields">
        <label>
          What was found
          <input value={description} maxLength={500} placeholder="e.g. a wallet with a driver's licence" onChange={(event) => setDescription(event.target.value)} />
        </label>
        <label>
          Where it was found
          <input value={foundWhere} maxLength={200} placeholder="e.g. in the laptop bag's front pocket" onChange={(event) => setFoundWhere(event.target.value)} />
        </label>
        <label>
          Found with
          <select value={itemId} onChange={(event) => setItemId(event.target.value)}>
            <option value="">no particular item</option>
            {items.map((item) => <option key={item.id} value={item.id}>{item.label}</option>)}
          </select>
        </label>
      </div>
      <div className="door-actions">
        <label className="button-secondary">
          Add photos of the belongings
          <input type="file" accept="image/*" multiple className="visually-hidden" onChange={(event) => { void addFiles([...(event.target.files ?? [])]); event.target.value = ''; }} />
        </label>
        <CameraCapture mode="photo" onPhoto={(file) => void addFiles([file])} />
        {preparing > 0 ? <span role="status">Preparing {preparing} photo{preparing === 1 ? '' : 's'}…</span> : null}
      </div>
      {images.length > 0 ? (
        <ul className="photo-list" aria-label="Photos of the belongings to record">
          {images.map((image, index) => <PreparedPreview key={`${image.sha256}-${index}`} image={image} index={index} />)}
        </ul>
      ) : null}
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <div className="door-actions">
        <button type="submit" className="button-primary" disabled={busy || preparing > 0}>Record personal property</button>
        <button type="button" className="button-secondary" onClick={onCancel}>Cancel</button>
      </div>
    </form>
  );
}

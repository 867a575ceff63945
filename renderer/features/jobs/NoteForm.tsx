import { useState, type FormEvent } from 'react';
import { addJobNote } from './jobs-data';

export function NoteForm({ jobId }: { jobId: string }) {
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!text.trim()) return setError('Type the note first.');
    setBusy(true);
    setError(null);
    try {
      await addJobNote(jobId, text);
      setText('');
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : 'The note could not be saved.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="note-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={`note-${jobId}`}>Add a note</label>
      <textarea id={`note-${jobId}`} rows={3} maxLength={5000} value={text} onChange={(event) => setText(event.target.value)} />
      {error ? <p role="alert" className="form-error">{error}</p> : null}
      <button type="submit" className="button-secondary" disabled={busy}>
        Add note
      </button>
    </form>
  );
}

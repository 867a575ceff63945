import { useEffect, useId, useState, type FormEvent } from 'react';
import { getDefaultServerUrl, signIn } from './session';
import { signInErrorInWords } from './sign-in-errors';

interface SignInFormProps {
  /** Signing in again after the session expired: same server, same user. */
  again?: { serverUrl: string; username: string };
}

export function SignInForm({ again }: SignInFormProps) {
  const id = useId();
  const [serverUrl, setServerUrl] = useState(again?.serverUrl ?? '');
  const [username, setUsername] = useState(again?.username ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (again) return;
    let cancelled = false;
    void getDefaultServerUrl().then((url) => {
      if (!cancelled && url) setServerUrl((current) => current || url);
    });
    return () => {
      cancelled = true;
    };
  }, [again]);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!serverUrl.trim()) return setError('Enter the sync server address the office gave you.');
    if (!username.trim()) return setError('Enter your user name.');
    if (!password) return setError('Enter your password.');
    setBusy(true);
    setError(null);
    try {
      await signIn({ serverUrl, username, password });
    } catch (caught) {
      setError(signInErrorInWords(caught));
      setBusy(false);
    }
  }

  return (
    <form className="sign-in-form" onSubmit={(event) => void submit(event)} noValidate>
      <label htmlFor={`${id}-server`}>Server address</label>
      <input
        id={`${id}-server`}
        type="text"
        inputMode="url"
        autoComplete="url"
        placeholder="https://sync.example.com"
        value={serverUrl}
        readOnly={again !== undefined}
        onChange={(event) => setServerUrl(event.target.value)}
      />
      <label htmlFor={`${id}-user`}>User name</label>
      <input
        id={`${id}-user`}
        type="text"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        value={username}
        readOnly={again !== undefined}
        onChange={(event) => setUsername(event.target.value)}
      />
      <label htmlFor={`${id}-password`}>Password</label>
      <input
        id={`${id}-password`}
        type="password"
        autoComplete="current-password"
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      {error ? (
        <p className="form-error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="submit" className="button-primary" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}

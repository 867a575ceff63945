import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import type { AdminDevice, AdminUser } from '../../../shared/api/admin';
import { roles, type Role } from '../../../shared/domain/roles';
import { roleLabels } from '../auth/role-labels';
import { useSignedInSession } from '../auth/session-store';
import { formatMoment as formatDateTime } from '../../ui/date-format';
import { adminApi, AdminRequestError } from './admin-api';
import { OrgSigningKeySection } from './OrgSigningKeySection';
import './admin.css';

function inWords(error: unknown): string {
  return error instanceof AdminRequestError ? error.message : 'Something went wrong; try again.';
}

/** The organisation key, users (create, disable, reset password, role) and devices (last seen, revoke). Admins only. */
export function AdminWorkspace() {
  const session = useSignedInSession();
  const api = useMemo(() => adminApi(session), [session]);
  const [users, setUsers] = useState<AdminUser[]>([]);
  const [devices, setDevices] = useState<AdminDevice[]>([]);
  const [message, setMessage] = useState<string | null>(null);

  const reload = useCallback(async () => {
    try {
      const [nextUsers, nextDevices] = await Promise.all([api.users(), api.devices()]);
      setUsers(nextUsers);
      setDevices(nextDevices);
    } catch (error) {
      setMessage(inWords(error));
    }
  }, [api]);

  useEffect(() => {
    void reload();
  }, [reload]);

  async function act(action: () => Promise<unknown>, done: string) {
    try {
      await action();
      setMessage(done);
      await reload();
    } catch (error) {
      setMessage(inWords(error));
    }
  }

  return (
    <section className="admin-workspace" aria-label="Administration">
      {message ? (
        <p className="admin-message" role="status">
          {message}
        </p>
      ) : null}
      <OrgSigningKeySection api={api} />
      <NewUserForm onCreate={(request, reset) => act(async () => { await api.createUser(request); reset(); }, `Created ${request.username}.`)} />
      <h2>Users</h2>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">User name</th>
            <th scope="col">Role</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {users.map((user) => (
            <tr key={user.id} className={user.disabled ? 'admin-row-disabled' : undefined}>
              <td>{user.displayName}</td>
              <td>{user.username}</td>
              <td>
                <select
                  aria-label={`Role of ${user.username}`}
                  value={user.role}
                  onChange={(event) => void act(() => api.updateUser(user.id, { role: event.target.value as Role }), `${user.username} is now ${roleLabels[event.target.value as Role]}.`)}
                >
                  {roles.map((role) => (
                    <option key={role} value={role}>
                      {roleLabels[role]}
                    </option>
                  ))}
                </select>
              </td>
              <td>{user.disabled ? 'Disabled' : 'Active'}</td>
              <td className="admin-actions">
                <button
                  type="button"
                  className="button-secondary"
                  onClick={() =>
                    void act(() => api.updateUser(user.id, { disabled: !user.disabled }), user.disabled ? `${user.username} can sign in again.` : `${user.username} is disabled and signed out everywhere.`)
                  }
                >
                  {user.disabled ? 'Enable' : 'Disable'}
                </button>
                <ResetPassword username={user.username} onReset={(password) => act(() => api.resetPassword(user.id, password), `New password set for ${user.username}; they are signed out everywhere.`)} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>

      <h2>Devices</h2>
      <table className="admin-table">
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">User</th>
            <th scope="col">Last seen</th>
            <th scope="col">Status</th>
            <th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>
          {devices.map((device) => (
            <tr key={device.id} className={device.revokedAt ? 'admin-row-disabled' : undefined}>
              <td>
                {device.name ?? 'Unnamed device'}
                <span className="admin-device-id">{device.id}</span>
              </td>
              <td>{device.displayName}</td>
              <td>{formatDateTime(device.lastSeenAt)}</td>
              <td>{device.revokedAt ? `Revoked ${formatDateTime(device.revokedAt)}` : 'Allowed'}</td>
              <td>
                {device.revokedAt ? null : (
                  <button
                    type="button"
                    className="button-danger"
                    onClick={() => {
                      if (!window.confirm(`Revoke ${device.name ?? device.id}? It will erase its Reclaim data, unsynced work included, the next time it connects.`)) return;
                      void act(() => api.revokeDevice(device.id), `Revoked ${device.name ?? device.id}.`);
                    }}
                  >
                    Revoke
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function NewUserForm({ onCreate }: { onCreate: (request: { username: string; displayName: string; role: Role; password: string }, reset: () => void) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [password, setPassword] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    void onCreate({ username, displayName, role, password }, () => {
      setUsername('');
      setDisplayName('');
      setPassword('');
    });
  }

  return (
    <form className="admin-new-user" onSubmit={submit} aria-label="New user">
      <h2>New user</h2>
      <label>
        Name
        <input value={displayName} onChange={(event) => setDisplayName(event.target.value)} required maxLength={128} />
      </label>
      <label>
        User name
        <input value={username} onChange={(event) => setUsername(event.target.value)} required maxLength={64} autoComplete="off" />
      </label>
      <label>
        Role
        <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
          {roles.map((choice) => (
            <option key={choice} value={choice}>
              {roleLabels[choice]}
            </option>
          ))}
        </select>
      </label>
      <label>
        First password
        <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} required minLength={10} autoComplete="new-password" />
      </label>
      <button type="submit" className="button-primary">Create user</button>
    </form>
  );
}

function ResetPassword({ username, onReset }: { username: string; onReset: (password: string) => Promise<void> }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  if (!open) {
    return (
      <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
        Reset password
      </button>
    );
  }
  return (
    <form
      className="admin-reset"
      onSubmit={(event) => {
        event.preventDefault();
        void onReset(password).then(() => {
          setOpen(false);
          setPassword('');
        });
      }}
    >
      <input
        type="password"
        aria-label={`New password for ${username}`}
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        minLength={10}
        required
        autoComplete="new-password"
      />
      <button type="submit" className="button-primary">Set</button>
      <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
        Cancel
      </button>
    </form>
  );
}

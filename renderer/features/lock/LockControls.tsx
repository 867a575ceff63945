import { lockNow, setIdleLockMinutes } from './lock-data';
import { idleLockChoices, useLockState } from './lock-store';

/** "Lock now" and how long the app waits before locking by itself. */
export function LockControls() {
  const minutes = useLockState((state) => state.idleLockMinutes);
  return (
    <div className="lock-controls">
      <label>
        Lock after
        <select value={minutes} onChange={(event) => void setIdleLockMinutes(Number(event.target.value))}>
          {idleLockChoices.map((choice) => (
            <option key={choice} value={choice}>
              {choice} min
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button-secondary" onClick={lockNow}>
        Lock
      </button>
    </div>
  );
}

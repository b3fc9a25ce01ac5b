import { useEffect, useState } from 'preact/hooks';
import { api } from '../api/api';
import { pairingUrl } from '../shared/api';
import { ApiRequestError } from '../shared/http-client';
import { account, describe, noticeRevocation } from './account';
import { QrCode } from './qr-code';

type PairingState =
  | { kind: 'idle' }
  | { kind: 'busy' }
  | { kind: 'shown'; code: string; deadline: number }
  | { kind: 'error'; message: string };

/** What a refusal means to the person holding this device. */
function explain(error: unknown): string {
  if (error instanceof ApiRequestError && error.code === 'QUOTA_DEVICES') {
    return 'This account already has as many devices as it can: remove a device first (below), then add the new one.';
  }
  if (error instanceof ApiRequestError && error.code === 'QUOTA_PAIRING_CODES') {
    return 'Several codes are already waiting to be used. Use one of them, or try again in 10 minutes.';
  }
  return `Could not make a code: ${describe(error)}`;
}

/** "Add a device": a one-time code, as text and as a QR code, with the time it has left. */
export function PairingCard() {
  const state = account.value;
  const token = state.kind === 'ready' ? state.credentials.deviceToken : null;
  const [pairing, setPairing] = useState<PairingState>({ kind: 'idle' });
  const [now, setNow] = useState(Date.now());
  const shown = pairing.kind === 'shown';
  useEffect(() => {
    if (!shown) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [shown]);
  // A code belongs to the device (and account) that made it: joining elsewhere hides it.
  useEffect(() => setPairing({ kind: 'idle' }), [token]);

  const makeCode = async () => {
    if (!token) return;
    setPairing({ kind: 'busy' });
    try {
      const made = await api('createPairingCode', { token });
      // One reading of the clock for both: two could differ by a millisecond and show 10:01.
      const at = Date.now();
      setNow(at);
      setPairing({ kind: 'shown', code: made.code, deadline: at + made.expiresInSeconds * 1000 });
    } catch (error) {
      noticeRevocation(error, token);
      setPairing({ kind: 'error', message: explain(error) });
    }
  };

  const left = pairing.kind === 'shown' ? Math.max(0, Math.ceil((pairing.deadline - now) / 1000)) : 0;
  return (
    <section class="card" aria-labelledby="pairing-title">
      <h2 id="pairing-title" class="card-title">
        Add a device
      </h2>
      <p class="muted">
        To use Steady with the same data on another phone, tablet or computer, make a code here and scan or type it there. A code works
        once, for 10 minutes.
      </p>
      {pairing.kind === 'shown' && left > 0 ? (
        <div class="pairing">
          <QrCode text={pairingUrl(location.origin, pairing.code)} label={`QR code that opens Steady with the code ${pairing.code}`} />
          <div>
            <p class="pairing-code" data-testid="pairing-code">
              {pairing.code}
            </p>
            <p class="muted small" data-testid="pairing-countdown">
              Works once. Expires in {Math.floor(left / 60)}:{String(left % 60).padStart(2, '0')}.
            </p>
            <p class="muted small">
              On the other device, scan the QR code, or open Steady → Settings → Join another account and type the code.
            </p>
          </div>
        </div>
      ) : (
        pairing.kind === 'shown' && <p class="muted">That code has expired.</p>
      )}
      <div class="button-row">
        <button type="button" class="button primary" disabled={!token || pairing.kind === 'busy'} onClick={makeCode}>
          {pairing.kind === 'shown' ? 'Make a new code' : 'Add a device'}
        </button>
      </div>
      {!token && <p class="muted small">Available once this device is on an account.</p>}
      {pairing.kind === 'error' && (
        <p class="error" role="alert">
          {pairing.message}
        </p>
      )}
    </section>
  );
}

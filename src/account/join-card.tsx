import { useEffect, useState } from 'preact/hooks';
import { normalisePairingCode, pairingCodeFromHash } from '../shared/api';
import { ApiRequestError } from '../shared/http-client';
import { account, describe } from './account';
import { joinWithCode } from './join';

type JoinStatus = { kind: 'idle' | 'busy' | 'done' } | { kind: 'error'; message: string };

function explain(error: unknown): string {
  if (error instanceof ApiRequestError && error.code === 'QUOTA_DEVICES') {
    return 'that account already has as many devices as it can: remove one of its devices first.';
  }
  return describe(error);
}

/** "Join another account" with a pairing code, typed or filled in from a QR code's link. */
export function JoinCard() {
  const revoked = account.value.kind === 'revoked';
  const [code, setCode] = useState('');
  const [fromLink, setFromLink] = useState(false);
  const [status, setStatus] = useState<JoinStatus>({ kind: 'idle' });
  useEffect(() => {
    const takeLinkedCode = () => {
      const linked = pairingCodeFromHash(location.hash);
      if (!linked) return;
      setCode(normalisePairingCode(linked));
      setFromLink(true);
      // The code is a secret for 10 minutes: out of the address bar and the history entry.
      history.replaceState(history.state, '', location.pathname + location.search);
      document.getElementById('join-title')?.scrollIntoView();
    };
    takeLinkedCode();
    // A link opened while Settings is already showing changes only the fragment.
    window.addEventListener('hashchange', takeLinkedCode);
    return () => window.removeEventListener('hashchange', takeLinkedCode);
  }, []);
  const submit = async (event: Event) => {
    event.preventDefault();
    setStatus({ kind: 'busy' });
    try {
      await joinWithCode(code);
      setStatus({ kind: 'done' });
      setCode('');
      setFromLink(false);
    } catch (failure) {
      setStatus({ kind: 'error', message: explain(failure) });
    }
  };
  return (
    <section class="card" id="join" aria-labelledby="join-title">
      <h2 id="join-title" class="card-title">
        Join another account
      </h2>
      <p class="muted">
        {revoked
          ? 'This device was removed from its account. To sync again, make a new code on a device still on the account (Settings → Add a device) and enter it here. What you recorded here stays and goes up with it.'
          : 'Already use Steady on another device? There, open Settings → Add a device, then enter its code here. What this device recorded comes along.'}
      </p>
      {fromLink && <p class="muted small">The code from the link you opened is filled in: press Join to use this account here.</p>}
      <form class="inline-form" onSubmit={submit}>
        <label for="join-code">Pairing code</label>
        <input
          id="join-code"
          name="pairingCode"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          placeholder="ABCD-EFGH-JKMN-PQRS"
          value={code}
          onInput={(event) => setCode(event.currentTarget.value)}
          required
        />
        <button type="submit" class="button primary" disabled={status.kind === 'busy'}>
          Join
        </button>
      </form>
      <p role="status" class={status.kind === 'error' ? 'error' : 'muted'}>
        {status.kind === 'done' && 'Joined. This device now syncs with that account.'}
        {status.kind === 'error' && `Could not join: ${status.message}`}
      </p>
    </section>
  );
}

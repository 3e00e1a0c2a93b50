import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import type { KeyOut } from '../client';
import {
  apiKeysCreateMutation,
  apiKeysListOptions,
  apiKeysListQueryKey,
  apiKeysRevokeMutation,
  apiKeysRotateMutation,
} from '../client/@tanstack/react-query.gen';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { KeyForm } from '../components/KeyForm';
import { NewSecret } from '../components/NewSecret';
import { Problem } from '../components/Problem';
import { formatTime } from '../format';
import { DEFAULT_GRACE, GRACES, SCOPES, graceText, limitUseText } from '../keyTerms';
import { useApplication } from './Application';

function statusOf(key: KeyOut): string {
  if (key.is_active) return 'Active';
  return key.expires_at && new Date(key.expires_at) <= new Date() ? 'Expired' : 'Revoked';
}

function Limits({ apiKey }: { apiKey: KeyOut }) {
  if (apiKey.limits.length === 0) return <span className="muted">None</span>;
  return (
    <ul className="limits">
      {apiKey.limits.map((limit) => (
        <li key={limit.name}>{limitUseText(limit, apiKey.quota)}</li>
      ))}
    </ul>
  );
}

type RotateProps = {
  apiKey: KeyOut;
  busy: boolean;
  onRotate: (graceSeconds: number) => void;
  onCancel: () => void;
};

/** Asks how long the old key keeps working (an hour unless told). */
function RotateDialog({ apiKey, busy, onRotate, onCancel }: RotateProps) {
  const id = useId();
  const [grace, setGrace] = useState<number>(DEFAULT_GRACE);
  return (
    <ConfirmDialog
      title={`Rotate key “${apiKey.name || apiKey.prefix}”?`}
      confirmLabel="Rotate key"
      busy={busy}
      onCancel={onCancel}
      onConfirm={() => onRotate(grace)}
    >
      <p>
        A new key with the same name, scopes and limits replaces <code>{apiKey.prefix}…</code>; its
        secret is shown once.
      </p>
      <div className="field">
        <label htmlFor={id}>The old key stops</label>
        <select id={id} value={grace} onChange={(event) => setGrace(Number(event.target.value))}>
          {GRACES.map((seconds) => (
            <option key={seconds} value={seconds}>
              {graceText(seconds)}
            </option>
          ))}
        </select>
      </div>
    </ConfirmDialog>
  );
}

/** When the key a rotation replaced stops, as the API set it. */
function OldKeyStops({ old }: { old: KeyOut }) {
  if (!old.expires_at) return null;
  const stopped = new Date(old.expires_at) <= new Date();
  return (
    <p>
      The old key <code>{old.prefix}…</code>{' '}
      {stopped
        ? 'stopped working.'
        : `keeps working until ${formatTime(old.expires_at)}, then stops.`}
    </p>
  );
}

export function Keys() {
  const appId = useApplication().id;
  const path = { app_id: appId };
  const queries = useQueryClient();
  const keys = useQuery(apiKeysListOptions({ path }));
  const refresh = () => queries.invalidateQueries({ queryKey: apiKeysListQueryKey({ path }) });
  const issue = useMutation({ ...apiKeysCreateMutation(), onSuccess: refresh });
  // The list is fresh before the new secret shows: it says when the old key stops.
  const rotate = useMutation({
    ...apiKeysRotateMutation(),
    onSuccess: () => {
      issue.reset();
      return refresh();
    },
  });
  const revoke = useMutation({ ...apiKeysRevokeMutation(), onSuccess: refresh });
  const [revoking, setRevoking] = useState<KeyOut | null>(null);
  const [rotating, setRotating] = useState<KeyOut | null>(null);
  const issued = issue.data ?? rotate.data;
  const replaced = rotate.data && keys.data?.find((key) => key.id === rotate.variables.path.key_id);

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {issued ? (
        <NewSecret
          issued={issued}
          onDone={() => {
            issue.reset();
            rotate.reset();
          }}
        >
          {replaced && <OldKeyStops old={replaced} />}
        </NewSecret>
      ) : (
        <KeyForm
          pending={issue.isPending}
          error={issue.error}
          onSubmit={(body) => issue.mutate({ path, body })}
        />
      )}
      <Problem error={keys.error ?? rotate.error ?? revoke.error} />
      {keys.data?.length === 0 && <p className="muted">This application has no keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="cards compact">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Scopes</th>
              <th>Limits</th>
              <th>Created</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>Status</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <td data-label="Name">{key.name || '—'}</td>
                <td data-label="Prefix">
                  <code>{key.prefix}…</code>
                </td>
                <td data-label="Scopes">
                  {SCOPES.filter(({ scope }) => key.scopes.includes(scope)).map(
                    ({ scope, label }) => (
                      <span key={scope} className="badge scope">
                        {label}
                      </span>
                    ),
                  )}
                </td>
                <td data-label="Limits">
                  <Limits apiKey={key} />
                </td>
                <td data-label="Created">{formatTime(key.created_at)}</td>
                <td data-label="Expires">{formatTime(key.expires_at, 'never')}</td>
                <td data-label="Last used">{formatTime(key.last_used_at, 'never')}</td>
                <td data-label="Status">
                  <span className={`badge ${key.is_active ? 'ok' : 'off'}`}>{statusOf(key)}</span>
                </td>
                <td>
                  {key.is_active && (
                    <div className="actions">
                      <button
                        type="button"
                        className="secondary small"
                        onClick={() => setRotating(key)}
                      >
                        Rotate<span className="visually-hidden"> key {key.name || key.prefix}</span>
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        onClick={() => setRevoking(key)}
                      >
                        Revoke<span className="visually-hidden"> key {key.name || key.prefix}</span>
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rotating && (
        <RotateDialog
          apiKey={rotating}
          busy={rotate.isPending}
          onCancel={() => setRotating(null)}
          onRotate={(grace) =>
            rotate.mutate(
              { path: { ...path, key_id: rotating.id }, body: { grace_seconds: grace } },
              { onSettled: () => setRotating(null) },
            )
          }
        />
      )}
      {revoking && (
        <ConfirmDialog
          title={`Revoke key “${revoking.name || revoking.prefix}”?`}
          confirmLabel="Revoke key"
          busy={revoke.isPending}
          onCancel={() => setRevoking(null)}
          onConfirm={() =>
            revoke.mutate(
              { path: { ...path, key_id: revoking.id } },
              { onSettled: () => setRevoking(null) },
            )
          }
        >
          <p>
            Machine clients using <code>{revoking.prefix}…</code> are refused from now on. This
            cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { KeyOut } from '../client';
import {
  apiKeysCreateMutation,
  apiKeysListOptions,
  apiKeysListQueryKey,
  apiKeysRevokeMutation,
} from '../client/@tanstack/react-query.gen';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Field } from '../components/Field';
import { NewSecret } from '../components/NewSecret';
import { Problem } from '../components/Problem';
import { formatTime } from '../format';
import { useApplication } from './Application';

function statusOf(key: KeyOut): string {
  if (key.is_active) return 'Active';
  return key.expires_at && new Date(key.expires_at) <= new Date() ? 'Expired' : 'Revoked';
}

export function Keys() {
  const appId = useApplication().id;
  const path = { app_id: appId };
  const queries = useQueryClient();
  const keys = useQuery(apiKeysListOptions({ path }));
  const refresh = () => queries.invalidateQueries({ queryKey: apiKeysListQueryKey({ path }) });
  const issue = useMutation({ ...apiKeysCreateMutation(), onSuccess: refresh });
  const revoke = useMutation({ ...apiKeysRevokeMutation(), onSuccess: refresh });
  const [revoking, setRevoking] = useState<KeyOut | null>(null);

  const create = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const name = String(form.get('name')).trim();
    const expires = String(form.get('expires_at'));
    issue.mutate({
      path,
      body: { name: name || null, expires_at: expires ? `${expires}T00:00:00Z` : null },
    });
    event.currentTarget.reset();
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {issue.data ? (
        <NewSecret issued={issue.data} onDone={() => issue.reset()} />
      ) : (
        <form className="card stack" onSubmit={create}>
          <div className="grid">
            <Field label="Key name" name="name" maxLength={100} placeholder="gateway" />
            <Field
              label="Expires on"
              name="expires_at"
              type="date"
              hint="Optional: the key stops working that day (UTC)."
            />
          </div>
          <Problem error={issue.error} />
          <div className="actions">
            <button type="submit" disabled={issue.isPending}>
              Create API key
            </button>
          </div>
        </form>
      )}
      <Problem error={keys.error ?? revoke.error} />
      {keys.data?.length === 0 && <p className="muted">This application has no keys yet.</p>}
      {keys.data && keys.data.length > 0 && (
        <table className="cards">
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
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
                <td data-label="Created">{formatTime(key.created_at)}</td>
                <td data-label="Expires">{formatTime(key.expires_at, 'never')}</td>
                <td data-label="Last used">{formatTime(key.last_used_at, 'never')}</td>
                <td data-label="Status">
                  <span className={`badge ${key.is_active ? 'ok' : 'off'}`}>{statusOf(key)}</span>
                </td>
                <td>
                  {key.is_active && (
                    <button type="button" className="danger small" onClick={() => setRevoking(key)}>
                      Revoke<span className="visually-hidden"> key {key.name || key.prefix}</span>
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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

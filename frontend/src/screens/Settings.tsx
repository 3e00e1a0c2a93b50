import { useState } from 'react';
import { useDeleteApplication, useReplaceApplication } from '../api/hooks';
import type { ApplicationOut } from '../client';
import { ApplicationForm } from '../components/ApplicationForm';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Problem } from '../components/Problem';
import { navigate } from '../router';

export function Settings({ app }: { app: ApplicationOut }) {
  const replace = useReplaceApplication(app.id);
  const remove = useDeleteApplication(app.id);
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="settings-title">
      <h2 id="settings-title">Settings</h2>
      <ApplicationForm
        key={app.updated_at}
        initial={app}
        submitLabel="Save changes"
        pending={replace.isPending}
        error={replace.error}
        onSubmit={(body) => replace.mutate(body)}
      />
      {replace.isSuccess && (
        <p className="saved" role="status">
          Saved.
        </p>
      )}
      <div className="card danger-zone">
        <h3>Delete this application</h3>
        <p>Its API keys stop working at once, and its uploads, readings and alerts are deleted.</p>
        <Problem error={remove.error} />
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Delete application
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={`Delete “${app.name}”?`}
          confirmLabel="Delete application"
          busy={remove.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            remove.mutate(undefined, {
              onSuccess: () => navigate('/apps', { replace: true }),
              onSettled: () => setConfirming(false),
            })
          }
        >
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

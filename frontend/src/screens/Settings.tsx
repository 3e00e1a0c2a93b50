import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import {
  appsDeleteMutation,
  appsGetQueryKey,
  appsListQueryKey,
  appsReplaceMutation,
} from '../client/@tanstack/react-query.gen';
import { ApplicationForm } from '../components/ApplicationForm';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Problem } from '../components/Problem';
import { useApplication } from './Application';

export function Settings() {
  const app = useApplication();
  const path = { app_id: app.id };
  const queries = useQueryClient();
  const navigate = useNavigate();
  const replace = useMutation({
    ...appsReplaceMutation(),
    onSuccess: (saved) => {
      queries.setQueryData(appsGetQueryKey({ path }), saved);
      return queries.invalidateQueries({ queryKey: appsListQueryKey() });
    },
  });
  const remove = useMutation({
    ...appsDeleteMutation(),
    // Away from the application first: its screens would ask for it again once it is gone.
    onSuccess: async () => {
      await navigate({ to: '/apps', replace: true });
      queries.removeQueries({ queryKey: appsGetQueryKey({ path }) });
      return queries.invalidateQueries({ queryKey: appsListQueryKey() });
    },
  });
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
        onSubmit={(body) => replace.mutate({ path, body })}
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
          onConfirm={() => remove.mutate({ path }, { onSettled: () => setConfirming(false) })}
        >
          <p>This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import {
  appsCreateMutation,
  appsGetQueryKey,
  appsListQueryKey,
} from '../client/@tanstack/react-query.gen';
import { ApplicationForm } from '../components/ApplicationForm';

export function NewApplication() {
  const queries = useQueryClient();
  const navigate = useNavigate();
  const create = useMutation({
    ...appsCreateMutation(),
    onSuccess: (app) => {
      queries.setQueryData(appsGetQueryKey({ path: { app_id: app.id } }), app);
      void queries.invalidateQueries({ queryKey: appsListQueryKey() });
      return navigate({ to: '/apps/$appId/keys', params: { appId: app.id } });
    },
  });
  return (
    <main>
      <p className="crumbs">
        <Link to="/apps" activeOptions={{ exact: true }}>
          Applications
        </Link>{' '}
        /
      </p>
      <h1>New application</h1>
      <p className="lead">
        An application is one source of readings, such as a meter gateway or a utility export. Its
        API keys upload CSV files for it.
      </p>
      <ApplicationForm
        submitLabel="Create application"
        pending={create.isPending}
        error={create.error}
        onSubmit={(body) => create.mutate({ body })}
      />
    </main>
  );
}

import { useCreateApplication } from '../api/hooks';
import { ApplicationForm } from '../components/ApplicationForm';
import { Link, navigate } from '../router';

export function NewApplication() {
  const create = useCreateApplication();
  return (
    <main>
      <p className="crumbs">
        <Link to="/apps">Applications</Link> /
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
        onSubmit={(body) =>
          create.mutate(body, { onSuccess: (app) => navigate(`/apps/${app.id}/keys`) })
        }
      />
    </main>
  );
}

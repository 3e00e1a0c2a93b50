import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { appsListOptions } from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';
import { formatKwh } from '../format';

export function Applications() {
  const apps = useQuery(appsListOptions());
  return (
    <main>
      <div className="title-row">
        <h1>Applications</h1>
        <Link className="button" to="/apps/new">
          New application
        </Link>
      </div>
      <Problem error={apps.error} />
      {apps.isPending && <p className="muted">Loading…</p>}
      {apps.data?.length === 0 && (
        <div className="card empty">
          <p>You have no applications yet.</p>
          <p>
            Create one for each source of readings, then give it an API key to upload CSV files
            with.
          </p>
        </div>
      )}
      {apps.data && apps.data.length > 0 && (
        <ul className="app-list">
          {apps.data.map((app) => (
            <li key={app.id} className="card">
              <Link to="/apps/$appId/keys" params={{ appId: app.id }} className="app-link">
                {app.name}
              </Link>
              <span className="muted">
                {app.application_id} · {app.domain}
              </span>
              <span className="muted">
                Threshold {app.threshold_kwh == null ? 'none' : formatKwh(app.threshold_kwh)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

import { useSuspenseQuery } from '@tanstack/react-query';
import { getRouteApi, Link, Outlet, type ErrorComponentProps } from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { appsGetOptions } from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';

const TABS = [
  ['/apps/$appId/keys', 'API keys'],
  ['/apps/$appId/audit', 'Audit log'],
  ['/apps/$appId/upload', 'Upload'],
  ['/apps/$appId/usage', 'Usage'],
  ['/apps/$appId/alerts', 'Alerts'],
  ['/apps/$appId/uploads', 'Uploads'],
  ['/apps/$appId/settings', 'Settings'],
] as const;

const application = getRouteApi('/signed-in/apps/$appId');

/** The application the URL names (its route loaded it), for the screens of its tabs. */
export function useApplication() {
  const { appId } = application.useParams();
  return useSuspenseQuery(appsGetOptions({ path: { app_id: appId } })).data;
}

function Frame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main>
      <p className="crumbs">
        <Link to="/apps" activeOptions={{ exact: true }}>
          Applications
        </Link>{' '}
        /
      </p>
      <h1>{title}</h1>
      {children}
    </main>
  );
}

/** One application: its name, a tab bar, and the screen of the chosen tab. */
export function Application() {
  const app = useApplication();
  return (
    <Frame title={app.name}>
      <p className="muted subtitle">
        {app.application_id} · {app.domain}
      </p>
      <nav className="tabs" aria-label="Application">
        {TABS.map(([to, label]) => (
          <Link key={to} to={to} params={{ appId: app.id }}>
            {label}
          </Link>
        ))}
      </nav>
      <Outlet />
    </Frame>
  );
}

/** An application that did not open (another operator's, deleted, or no such id). */
export function ApplicationProblem({ error }: ErrorComponentProps) {
  return (
    <Frame title="Application">
      <Problem error={error} />
    </Frame>
  );
}

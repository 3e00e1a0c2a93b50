import type { ReactNode } from 'react';
import { useApplication } from '../api/hooks';
import { Problem } from '../components/Problem';
import { Link } from '../router';
import { Alerts } from './Alerts';
import { Keys } from './Keys';
import { Settings } from './Settings';
import { Upload } from './Upload';
import { Uploads } from './Uploads';
import { Usage } from './Usage';

const TABS = {
  keys: 'API keys',
  upload: 'Upload',
  usage: 'Usage',
  alerts: 'Alerts',
  uploads: 'Uploads',
  settings: 'Settings',
} as const;

type Tab = keyof typeof TABS;

export function isTab(name: string): name is Tab {
  return name in TABS;
}

/** One application: its name, a tab bar, and the screen of the chosen tab. */
export function Application({ appId, tab }: { appId: string; tab: Tab }) {
  const app = useApplication(appId);
  let screen: ReactNode = null;
  if (app.data) {
    screen = {
      keys: <Keys appId={appId} />,
      upload: <Upload appId={appId} />,
      usage: <Usage app={app.data} />,
      alerts: <Alerts appId={appId} />,
      uploads: <Uploads appId={appId} />,
      settings: <Settings app={app.data} />,
    }[tab];
  }
  return (
    <main>
      <p className="crumbs">
        <Link to="/apps">Applications</Link> /
      </p>
      <h1>{app.data?.name ?? 'Application'}</h1>
      {app.data && (
        <p className="muted subtitle">
          {app.data.application_id} · {app.data.domain}
        </p>
      )}
      <Problem error={app.error} />
      {app.data && (
        <nav className="tabs" aria-label="Application">
          {Object.entries(TABS).map(([name, label]) => (
            <Link
              key={name}
              to={`/apps/${appId}/${name}`}
              aria-current={name === tab ? 'page' : undefined}
            >
              {label}
            </Link>
          ))}
        </nav>
      )}
      {screen}
    </main>
  );
}

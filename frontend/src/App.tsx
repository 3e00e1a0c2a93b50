import { useEffect, type ReactNode } from 'react';
import { useMe, useSignOut } from './api/hooks';
import { useToken } from './api/session';
import { Link, navigate, usePath } from './router';
import { Application, isTab } from './screens/Application';
import { Applications } from './screens/Applications';
import { NewApplication } from './screens/NewApplication';
import { NotFound } from './screens/NotFound';
import { SignIn } from './screens/SignIn';
import { SignUp } from './screens/SignUp';

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function signedInScreen(path: string): ReactNode {
  const parts = path.split('/').filter(Boolean);
  if (parts.length === 0 || parts[0] === 'sign-in' || parts[0] === 'sign-up') {
    return <Redirect to="/apps" />;
  }
  if (parts[0] !== 'apps') return <NotFound />;
  if (parts.length === 1) return <Applications />;
  if (parts.length === 2 && parts[1] === 'new') return <NewApplication />;
  if (parts.length === 2) return <Redirect to={`/apps/${parts[1]}/keys`} />;
  if (parts.length === 3 && isTab(parts[2])) return <Application appId={parts[1]} tab={parts[2]} />;
  return <NotFound />;
}

function Header({ signedIn }: { signedIn: boolean }) {
  return (
    <header className="top">
      <Link to={signedIn ? '/apps' : '/sign-in'} className="brand">
        Wattkey <span>console</span>
      </Link>
      {signedIn && <Account />}
    </header>
  );
}

function Account() {
  const me = useMe();
  const signOut = useSignOut();
  return (
    <div className="account">
      <span className="muted email">{me.data?.email}</span>
      <button
        type="button"
        className="secondary small"
        onClick={() => signOut.mutate(undefined, { onSettled: () => navigate('/sign-in') })}
      >
        Log out
      </button>
    </div>
  );
}

export function App() {
  const token = useToken();
  const path = usePath();
  let screen: ReactNode;
  if (token) screen = signedInScreen(path);
  else if (path === '/sign-up') screen = <SignUp />;
  else screen = <SignIn next={path === '/' || path === '/sign-in' ? '/apps' : path} />;
  return (
    <>
      <Header signedIn={Boolean(token)} />
      {screen}
    </>
  );
}

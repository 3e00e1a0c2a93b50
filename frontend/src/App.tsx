import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, Outlet, type ErrorComponentProps } from '@tanstack/react-router';
import { endSession, useToken } from './api/session';
import { authLogoutMutation, authMeOptions } from './client/@tanstack/react-query.gen';
import { Problem } from './components/Problem';

function Account() {
  const me = useQuery(authMeOptions());
  // Logged out here or not (the token may have expired), this tab forgets it.
  const signOut = useMutation({ ...authLogoutMutation(), onSettled: () => endSession() });
  return (
    <div className="account">
      <span className="muted email">{me.data?.email}</span>
      <button type="button" className="secondary small" onClick={() => signOut.mutate({})}>
        Log out
      </button>
    </div>
  );
}

/** The frame of every screen: the brand, the operator's email and Log out, the screen. */
export function App() {
  const signedIn = Boolean(useToken());
  return (
    <>
      <header className="top">
        <Link
          to={signedIn ? '/apps' : '/sign-in'}
          className="brand"
          activeOptions={{ exact: true }}
        >
          Wattkey <span>console</span>
        </Link>
        {signedIn && <Account />}
      </header>
      <Outlet />
    </>
  );
}

/** A screen that could not open: the server's sentence in place of it. */
export function RouteProblem({ error }: ErrorComponentProps) {
  return (
    <main className="narrow">
      <h1>This page did not open</h1>
      <Problem error={error} />
    </main>
  );
}

import { getRouteApi, Link } from '@tanstack/react-router';
import { sessionEndedBecause } from '../api/session';
import { CredentialsForm } from '../components/CredentialsForm';

const signIn = getRouteApi('/sign-in');

/** Logging in goes on to the page asked for (`redirect`), else the applications. */
export function SignIn() {
  const { redirect } = signIn.useSearch();
  const ended = sessionEndedBecause();
  return (
    <main className="narrow">
      <h1>Log in to Wattkey</h1>
      {ended && (
        <p className="warning" role="status">
          {ended}
        </p>
      )}
      <CredentialsForm door="sign-in" next={redirect ?? '/apps'} />
      <p>
        New to Wattkey? <Link to="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}

export function SignUp() {
  return (
    <main className="narrow">
      <h1>Create your Wattkey account</h1>
      <p className="lead">
        Register the applications that send energy readings, give each one API keys, and watch their
        uploads, usage and alerts.
      </p>
      <CredentialsForm door="sign-up" next="/apps/new" />
      <p>
        Already registered? <Link to="/sign-in">Log in</Link>
      </p>
    </main>
  );
}

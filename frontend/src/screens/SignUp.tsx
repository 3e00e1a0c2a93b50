import { useSignUp } from '../api/hooks';
import { CredentialsForm } from '../components/CredentialsForm';
import { Link } from '../router';

export function SignUp() {
  const signUp = useSignUp('/apps/new');
  return (
    <main className="narrow">
      <h1>Create your Wattkey account</h1>
      <p className="lead">
        Register the applications that send energy readings, give each one API keys, and watch their
        uploads, usage and alerts.
      </p>
      <CredentialsForm
        submitLabel="Create account"
        newPassword
        pending={signUp.isPending}
        error={signUp.error}
        onSubmit={(credentials) => signUp.mutate(credentials)}
      />
      <p>
        Already registered? <Link to="/sign-in">Log in</Link>
      </p>
    </main>
  );
}

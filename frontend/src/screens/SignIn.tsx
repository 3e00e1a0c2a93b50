import { useSignIn } from '../api/hooks';
import { CredentialsForm } from '../components/CredentialsForm';
import { Link, navigate } from '../router';

export function SignIn() {
  const signIn = useSignIn();
  return (
    <main className="narrow">
      <h1>Log in to Wattkey</h1>
      <CredentialsForm
        submitLabel="Log in"
        pending={signIn.isPending}
        error={signIn.error}
        onSubmit={(credentials) =>
          signIn.mutate(credentials, { onSuccess: () => navigate('/apps', { replace: true }) })
        }
      />
      <p>
        New to Wattkey? <Link to="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}

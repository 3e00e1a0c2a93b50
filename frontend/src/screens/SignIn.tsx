import { useSignIn } from '../api/hooks';
import { CredentialsForm } from '../components/CredentialsForm';
import { Link } from '../router';

/** `next`: where the console goes once signed in (the page asked for, else the applications). */
export function SignIn({ next }: { next: string }) {
  const signIn = useSignIn(next);
  return (
    <main className="narrow">
      <h1>Log in to Wattkey</h1>
      <CredentialsForm
        submitLabel="Log in"
        pending={signIn.isPending}
        error={signIn.error}
        onSubmit={(credentials) => signIn.mutate(credentials)}
      />
      <p>
        New to Wattkey? <Link to="/sign-up">Create an account</Link>
      </p>
    </main>
  );
}

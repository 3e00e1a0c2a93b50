import { useMutation } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import type { FormEvent } from 'react';
import { codeOf, messageOf } from '../api/errors';
import { startSession } from '../api/session';
import { authLogin, authRegister, type Credentials } from '../client';
import { Field } from './Field';
import { Problem } from './Problem';

type Door = 'sign-in' | 'sign-up';

/** Logging in and signing up both answer a token: keep it and go on to `next`. */
function useCredentials(door: Door, next: string) {
  const navigate = useNavigate();
  return useMutation({
    mutationFn: async (body: Credentials) => {
      const { data } = await (door === 'sign-up' ? authRegister({ body }) : authLogin({ body }));
      return data.access_token;
    },
    onSuccess: (token) => {
      startSession(token);
      return navigate({ href: next, replace: true });
    },
  });
}

/** An email, a password and a submit button; the server's answer to them right below, or at
 * the email when it is taken. */
export function CredentialsForm({ door, next }: { door: Door; next: string }) {
  const enter = useCredentials(door, next);
  const newPassword = door === 'sign-up';
  const taken = codeOf(enter.error) === 'email_taken';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    enter.mutate({ email: String(form.get('email')), password: String(form.get('password')) });
  };
  return (
    <form className="card stack" onSubmit={submit}>
      <Field
        label="Email"
        name="email"
        type="email"
        autoComplete="email"
        problem={taken ? messageOf(enter.error) : undefined}
        required
        autoFocus
      />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        minLength={newPassword ? 8 : undefined}
        hint={newPassword ? 'At least 8 characters.' : undefined}
        required
      />
      {!taken && <Problem error={enter.error} />}
      <button type="submit" disabled={enter.isPending}>
        {enter.isPending ? 'One moment…' : newPassword ? 'Create account' : 'Log in'}
      </button>
    </form>
  );
}

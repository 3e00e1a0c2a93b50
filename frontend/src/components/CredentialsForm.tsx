import type { FormEvent } from 'react';
import type { Credentials } from '../api/hooks';
import { Field } from './Field';
import { Problem } from './Problem';

type CredentialsFormProps = {
  submitLabel: string;
  newPassword?: boolean;
  pending: boolean;
  error: unknown;
  onSubmit: (credentials: Credentials) => void;
};

/** An email, a password and a submit button; the server's answer to them right below. */
export function CredentialsForm({
  submitLabel,
  newPassword,
  pending,
  error,
  onSubmit,
}: CredentialsFormProps) {
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    onSubmit({ email: String(form.get('email')), password: String(form.get('password')) });
  };
  return (
    <form className="card stack" onSubmit={submit}>
      <Field label="Email" name="email" type="email" autoComplete="email" required autoFocus />
      <Field
        label="Password"
        name="password"
        type="password"
        autoComplete={newPassword ? 'new-password' : 'current-password'}
        minLength={newPassword ? 8 : undefined}
        hint={newPassword ? 'At least 8 characters.' : undefined}
        required
      />
      <Problem error={error} />
      <button type="submit" disabled={pending}>
        {pending ? 'One moment…' : submitLabel}
      </button>
    </form>
  );
}

import { messageOf } from '../api/errors';

/** The sentence of a failed request, shown next to the form or button that made it. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p className="problem" role="alert">
      {messageOf(error)}
    </p>
  );
}

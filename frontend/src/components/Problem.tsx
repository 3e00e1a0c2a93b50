import { ApiError, messageOf } from '../api/errors';

const clock = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

/** The sentence of a failed request, shown next to the form or button that made it; over a
 * limit, also the time from which asking again can succeed. */
export function Problem({ error }: { error: unknown }) {
  if (!error) return null;
  const retryAt = error instanceof ApiError && error.code === 'rate_limited' ? error.retryAt : null;
  return (
    <p className="problem" role="alert">
      {messageOf(error)}
      {retryAt && ` You can try again from ${clock.format(retryAt)}.`}
    </p>
  );
}

import { useId, useState, type FormEvent } from 'react';
import { blamedField, messageOf } from '../api/errors';
import type { KeyTerms, Quota } from '../client';
import { SCOPES, type Scope } from '../keyTerms';
import { Field } from './Field';
import { Problem } from './Problem';

const FIELDS = [
  'name',
  'expires_at',
  'scopes',
  'rate_limit.requests',
  'rate_limit.per_seconds',
  'quota.requests',
] as const;
type FieldName = (typeof FIELDS)[number];

const RATE_UNITS = [
  ['seconds', 1],
  ['minutes', 60],
  ['hours', 3_600],
] as const;

type KeyFormProps = {
  pending: boolean;
  error: unknown;
  onSubmit: (terms: KeyTerms) => void;
};

/** The form's fields as the API takes them; an empty limit is none. */
function termsOf(form: FormData): KeyTerms & { scopes: Scope[] } {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const expires = text('expires_at');
  const rate = text('rate_requests');
  const quota = text('quota_requests');
  return {
    name: text('name') || null,
    expires_at: expires ? `${expires}T00:00:00Z` : null,
    scopes: form.getAll('scopes').map(String) as Scope[],
    rate_limit: rate
      ? {
          requests: Number(rate),
          per_seconds: Number(text('rate_per')) * Number(text('rate_unit')),
        }
      : null,
    quota: quota
      ? { requests: Number(quota), period: text('quota_period') as Quota['period'] }
      : null,
  };
}

/** A new key's name, expiry, scopes and limits. */
export function KeyForm({ pending, error, onSubmit }: KeyFormProps) {
  const id = useId();
  const [noScope, setNoScope] = useState(false);
  // Refused here, the form was not sent: the server's answer to the one before is stale.
  // Like the server's, this refusal stays until the form is sent again.
  const failure = noScope ? null : error;
  const blamed = blamedField(failure, FIELDS);
  const problem = (name: FieldName) => (name === blamed ? messageOf(failure) : undefined);
  const scopesProblem = noScope ? 'Choose at least one thing the key may do.' : problem('scopes');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const terms = termsOf(new FormData(event.currentTarget));
    const none = terms.scopes.length === 0;
    setNoScope(none);
    if (!none) onSubmit(terms);
  };
  return (
    <form className="card stack" onSubmit={submit}>
      <div className="grid">
        <Field
          label="Key name"
          name="name"
          problem={problem('name')}
          maxLength={100}
          placeholder="gateway"
        />
        <Field
          label="Expires on"
          name="expires_at"
          problem={problem('expires_at')}
          type="date"
          hint="Optional: the key stops working that day (UTC)."
        />
      </div>
      <fieldset aria-describedby={scopesProblem ? `${id}-scopes` : undefined}>
        <legend>What the key may do</legend>
        <div className="grid">
          {SCOPES.map(({ scope, label, allows }) => (
            <div key={scope}>
              <label className="check">
                <input
                  type="checkbox"
                  name="scopes"
                  value={scope}
                  defaultChecked
                  aria-describedby={`${id}-${scope}`}
                />
                {label}
              </label>
              <small id={`${id}-${scope}`} className="hint">
                <code>{scope}</code>: may {allows}.
              </small>
            </div>
          ))}
        </div>
        {scopesProblem && (
          <p id={`${id}-scopes`} className="problem" role="alert">
            {scopesProblem}
          </p>
        )}
      </fieldset>
      <fieldset>
        <legend>Limits (optional)</legend>
        <div className="grid limits">
          <Field
            label="Rate limit (requests)"
            name="rate_requests"
            problem={problem('rate_limit.requests')}
            type="number"
            min={1}
            step={1}
            hint="Empty: no rate limit."
          />
          <Field
            label="Per"
            name="rate_per"
            problem={problem('rate_limit.per_seconds')}
            type="number"
            min={1}
            step={1}
            defaultValue={1}
          />
          <div className="field">
            <label htmlFor={`${id}-unit`}>Unit</label>
            <select id={`${id}-unit`} name="rate_unit" defaultValue={60}>
              {RATE_UNITS.map(([unit, seconds]) => (
                <option key={unit} value={seconds}>
                  {unit}
                </option>
              ))}
            </select>
          </div>
        </div>
        <div className="grid limits">
          <Field
            label="Quota (requests)"
            name="quota_requests"
            problem={problem('quota.requests')}
            type="number"
            min={1}
            step={1}
            hint="Empty: no quota."
          />
          <div className="field">
            <label htmlFor={`${id}-period`}>Quota period</label>
            <select id={`${id}-period`} name="quota_period" defaultValue="month">
              <option value="day">per day (UTC)</option>
              <option value="month">per month (UTC)</option>
            </select>
          </div>
        </div>
      </fieldset>
      {!blamed && <Problem error={failure} />}
      <div className="actions">
        <button type="submit" disabled={pending}>
          Create API key
        </button>
      </div>
    </form>
  );
}

import type { FormEvent } from 'react';
import type { ApplicationBody, ApplicationOut } from '../client';
import { blamedField, messageOf } from '../api/errors';
import { Field } from './Field';
import { Problem } from './Problem';

const FIELDS = [
  'App_name',
  'Application',
  'Email',
  'Domain',
  'threshold_kwh',
  'alert_emails',
  'alert_sns_topic_arn',
] as const;
type FieldName = (typeof FIELDS)[number];

type ApplicationFormProps = {
  initial?: ApplicationOut;
  submitLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (body: ApplicationBody) => void;
};

function bodyOf(form: FormData): ApplicationBody {
  const text = (name: string) => String(form.get(name) ?? '').trim();
  const threshold = text('threshold_kwh');
  return {
    App_name: text('App_name'),
    Application: text('Application'),
    Email: text('Email'),
    Domain: text('Domain'),
    threshold_kwh: threshold ? Number(threshold) : null,
    alert_emails: text('alert_emails')
      .split(/[\s,;]+/)
      .filter(Boolean),
    alert_sns_topic_arn: text('alert_sns_topic_arn') || null,
  };
}

/** Every field of an application; create and edit both send the whole body. */
export function ApplicationForm({
  initial,
  submitLabel,
  pending,
  error,
  onSubmit,
}: ApplicationFormProps) {
  const blamed = blamedField(error, FIELDS);
  const problem = (name: FieldName) => (name === blamed ? messageOf(error) : undefined);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    onSubmit(bodyOf(new FormData(event.currentTarget)));
  };
  return (
    <form className="card stack" onSubmit={submit}>
      <div className="grid">
        <Field
          label="Name"
          name="App_name"
          problem={problem('App_name')}
          defaultValue={initial?.name}
          required
          maxLength={256}
        />
        <Field
          label="Application id"
          name="Application"
          problem={problem('Application')}
          defaultValue={initial?.application_id}
          required
          maxLength={256}
          hint="Your own identifier, for example meters-north."
        />
        <Field
          label="Contact email"
          name="Email"
          problem={problem('Email')}
          type="email"
          defaultValue={initial?.email}
          required
        />
        <Field
          label="Domain"
          name="Domain"
          problem={problem('Domain')}
          defaultValue={initial?.domain}
          required
          maxLength={256}
        />
      </div>
      <fieldset>
        <legend>Alerts</legend>
        <div className="grid">
          <Field
            label="Threshold (kWh per reading)"
            name="threshold_kwh"
            problem={problem('threshold_kwh')}
            type="number"
            step="any"
            defaultValue={initial?.threshold_kwh ?? ''}
            hint="A reading above it raises an alert. Leave empty for none."
          />
          <Field
            label="Alert emails"
            name="alert_emails"
            problem={problem('alert_emails')}
            defaultValue={initial?.alert_emails.join(', ')}
            hint="Separated by commas."
          />
          <Field
            label="SNS topic ARN"
            name="alert_sns_topic_arn"
            problem={problem('alert_sns_topic_arn')}
            defaultValue={initial?.alert_sns_topic_arn ?? ''}
            placeholder="arn:aws:sns:eu-west-1:123456789012:alerts"
            hint="Optional: SMS or fan-out through Amazon SNS."
          />
        </div>
      </fieldset>
      {!blamed && <Problem error={error} />}
      <div className="actions">
        <button type="submit" disabled={pending}>
          {pending ? 'Saving…' : submitLabel}
        </button>
      </div>
    </form>
  );
}

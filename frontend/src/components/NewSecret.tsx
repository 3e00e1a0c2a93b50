import { useId, useState } from 'react';
import type { IssuedKey } from '../client';

/** A key's secret, this one time: a copy button and a plain warning. */
export function NewSecret({ issued, onDone }: { issued: IssuedKey; onDone: () => void }) {
  const id = useId();
  const [copied, setCopied] = useState<boolean | null>(null);
  // navigator.clipboard exists only on https:// pages and localhost.
  const copy = () =>
    (navigator.clipboard?.writeText(issued.api_key) ?? Promise.reject()).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <section className="card secret" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Your new API key “{issued.name}”</h2>
      <p className="warning">
        Copy it now: this is the only time Wattkey shows it. We keep only a fingerprint, so a lost
        key cannot be shown again; revoke it and create another.
      </p>
      <label htmlFor={id}>API key secret</label>
      <div className="copy-row">
        <input id={id} readOnly value={issued.api_key} onFocus={(event) => event.target.select()} />
        <button type="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      {copied === false && (
        <p className="problem" role="alert">
          The browser did not allow copying; select the key and copy it yourself.
        </p>
      )}
      <p className="hint">
        Machine clients send it in the <code>X-API-Key</code> header.
      </p>
      <button type="button" className="secondary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

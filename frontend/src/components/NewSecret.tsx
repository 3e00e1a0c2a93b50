import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { IssuedKey } from '../client';

type NewSecretProps = {
  issued: IssuedKey;
  onDone: () => void;
  /** More to say about the key, such as what became of the one it replaces. */
  children?: ReactNode;
};

/** A key's secret, this one time: a copy button and a plain warning. */
export function NewSecret({ issued, onDone, children }: NewSecretProps) {
  const id = useId();
  const [copied, setCopied] = useState<boolean | null>(null);
  const secret = useRef<HTMLInputElement>(null);
  // Focused (so selected) and in view: it replaces the form, or shows up far above the list
  // once a rotation's dialog has closed.
  useEffect(() => secret.current?.focus(), []);
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
        <input
          id={id}
          ref={secret}
          readOnly
          value={issued.api_key}
          onFocus={(event) => event.target.select()}
        />
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
      {children}
      <button type="button" className="secondary" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

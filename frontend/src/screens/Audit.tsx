import { useQuery, useSuspenseQuery } from '@tanstack/react-query';
import { usePages } from '../api/pages';
import type { AuditEventOut, KeyOut } from '../client';
import {
  apiKeysListOptions,
  auditListInfiniteOptions,
  authMeOptions,
} from '../client/@tanstack/react-query.gen';
import { Problem } from '../components/Problem';
import { ShowMore } from '../components/ShowMore';
import { formatList, formatTime } from '../format';
import { graceText, keyTitle, quotaText, rateLimitText, scopesSentence } from '../keyTerms';
import { useApplication } from './Application';

// The document types `details` as any object; each event's fields are these (never a secret).
type KeyDetails = Pick<
  KeyOut,
  'name' | 'prefix' | 'expires_at' | 'scopes' | 'rate_limit' | 'quota'
>;
type Details = {
  'app.created': { name: string };
  'app.updated': { changed: string[] };
  'key.rotated': { replaced_by: string; grace_seconds: number };
};

/** What a new key may do: "may read alerts; 100 requests a minute; expires Jun 1, 2026". */
function termsOf(key: KeyDetails): string {
  return [
    scopesSentence(key.scopes),
    key.rate_limit && rateLimitText(key.rate_limit),
    key.quota && quotaText(key.quota),
    key.expires_at && `expires ${formatTime(key.expires_at)}`,
  ]
    .filter(Boolean)
    .join('; ');
}

/** An event as a person reads it; `who` made it, `keys` name the keys it is about. */
function sentenceOf(event: AuditEventOut, who: string, keys: Map<string, KeyOut>): string {
  const named = (id: string) => {
    const key = keys.get(id);
    return key ? keyTitle(key) : id;
  };
  switch (event.event) {
    case 'app.created':
      return `${who} created the application “${(event.details as Details['app.created']).name}”`;
    case 'app.updated': {
      const { changed } = event.details as Details['app.updated'];
      return changed.length
        ? `${who} changed ${formatList(changed)}`
        : `${who} saved the settings unchanged`;
    }
    case 'key.created': {
      const key = event.details as KeyDetails;
      return `${who} created key ${keyTitle(key)} — ${termsOf(key)}`;
    }
    case 'key.revoked':
      return `${who} revoked key ${named(event.target)}`;
    case 'key.rotated': {
      const { replaced_by, grace_seconds } = event.details as Details['key.rotated'];
      const successor = keys.get(replaced_by);
      return (
        `${who} rotated key ${named(event.target)}` +
        (successor ? ` to ${successor.prefix}…` : '') +
        ` — the old one stops ${graceText(grace_seconds)}`
      );
    }
    default:
      return `${who}: ${event.event} ${event.target}`;
  }
}

export function Audit() {
  const appId = useApplication().id;
  const path = { app_id: appId };
  const me = useSuspenseQuery(authMeOptions()).data;
  const keys = useQuery(apiKeysListOptions({ path }));
  const { query, items, more } = usePages(auditListInfiniteOptions({ path, query: { limit: 50 } }));
  // Until the keys are here, sentences would name keys by their ids.
  const named = keys.isPending ? null : new Map(keys.data?.map((key) => [key.id, key]));
  const whoDid = (actor: string) => (actor === `user:${me.user_id}` ? 'You' : actor);
  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">Audit log, newest first</h2>
      <Problem error={query.error ?? keys.error} />
      {query.isSuccess && items.length === 0 && <p className="muted">Nothing changed yet.</p>}
      {named && (
        <ol className="audit" aria-labelledby="audit-title">
          {items.map((event) => (
            <li key={`${event.at} ${event.event} ${event.target}`} className="card">
              <time dateTime={event.at} className="muted">
                {formatTime(event.at)}
              </time>
              <p>{sentenceOf(event, whoDid(event.actor), named)}</p>
            </li>
          ))}
        </ol>
      )}
      <ShowMore more={more} label="Show older events" />
    </section>
  );
}

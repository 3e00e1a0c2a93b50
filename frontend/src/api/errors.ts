// What every failed call throws (client.ts turns each failure into one): the API's ErrorBody, a
// sentence for the person and a code for the console to branch on, and when to ask again.
import type { ErrorBody, ErrorCode } from '../client';

export class ApiError extends Error {
  constructor(
    readonly detail: ErrorBody['detail'],
    /** null when the answer is not the API's: no connection, or a proxy's page. */
    readonly code: ErrorCode | null,
    /** When asking again can succeed (Retry-After of rate_limited, busy, storage_unavailable). */
    readonly retryAt: Date | null = null,
  ) {
    super(detail);
    this.name = 'ApiError';
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  const fields = body as Partial<ErrorBody> | null;
  return typeof fields?.detail === 'string' && typeof fields.code === 'string';
}

/** The error of a failed request: its answer's status, body and Retry-After (no answer: 0). */
export function errorOf(status: number, body: unknown, retryAfter: string | null): ApiError {
  const seconds = Number(retryAfter);
  const retryAt = retryAfter && seconds >= 0 ? new Date(Date.now() + seconds * 1000) : null;
  if (isErrorBody(body)) return new ApiError(body.detail, body.code, retryAt);
  if (!status) {
    return new ApiError(
      'The Wattkey server did not answer; check your connection and retry.',
      null,
    );
  }
  return new ApiError(`The server answered ${status} without an explanation.`, null, retryAt);
}

export function codeOf(error: unknown): ErrorCode | null {
  return error instanceof ApiError ? error.code : null;
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The field of `fields` a validation_failed sentence names first ("alert_emails.0: value is
 * not...", "expires_at must be..."), for the form to show the sentence at it. */
export function blamedField<Field extends string>(
  error: unknown,
  fields: readonly Field[],
): Field | undefined {
  if (codeOf(error) !== 'validation_failed') return undefined;
  const named = /^[\w.]+/.exec(messageOf(error))?.[0] ?? '';
  return fields.find((field) => named === field || named.startsWith(`${field}.`));
}

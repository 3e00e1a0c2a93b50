// Every API error is {"detail": "<a sentence>"}; ApiError carries that sentence as its message.
export class ApiError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

const UNREACHABLE = 'The Wattkey server did not answer; check your connection and try again.';

/** The sentence to show for a failed request's body (parsed JSON, text, or nothing). */
export function sentenceOf(status: number, body: unknown): string {
  if (body && typeof body === 'object' && 'detail' in body && typeof body.detail === 'string') {
    return body.detail;
  }
  if (typeof body === 'string' && body.trim() && !body.trimStart().startsWith('<')) {
    return body.trim();
  }
  return status ? `The server answered ${status} without an explanation.` : UNREACHABLE;
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof TypeError) return UNREACHABLE;
  return error instanceof Error ? error.message : String(error);
}

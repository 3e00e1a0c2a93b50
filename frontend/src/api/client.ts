// The generated client, set up once: same-origin requests and the bearer token (every call
// throws on failure: openapi-ts.config.ts). Each failure becomes an ApiError; an API that no
// longer takes the token ends the session, with its sentence for the sign-in screen.
import { client } from '../client/client.gen';
import { errorOf } from './errors';
import { endSession, getToken } from './session';

client.setConfig({ baseUrl: '', auth: () => getToken() ?? undefined });

client.interceptors.error.use((body, response) => {
  // A request given up on (its screen closed) is no failure to show.
  if (body instanceof DOMException && body.name === 'AbortError') return body;
  // Without an answer (no connection) `response` is undefined, whatever its type says.
  const answer = response as Response | undefined;
  const error = errorOf(answer?.status ?? 0, body, answer?.headers.get('Retry-After') ?? null);
  if (error.code === 'invalid_token' || error.code === 'missing_token') endSession(error.detail);
  return error;
});

// The generated client, set up once: same-origin requests, the bearer token, and errors turned
// into ApiError (a 401 also signs the operator out: the token expired or was revoked).
import { client } from '../client/client.gen';
import { ApiError, sentenceOf } from './errors';
import { getToken, setToken } from './session';

client.setConfig({ baseUrl: '', auth: () => getToken() ?? undefined });

client.interceptors.error.use((body, response) => {
  const status = response?.status ?? 0;
  if (status === 401 && getToken()) setToken(null);
  return new ApiError(status, sentenceOf(status, body));
});

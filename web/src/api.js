// GET calls to the keipath API on the page's own origin. A reply that is not 2xx, a body that is not JSON and
// a failed connection all become an ApiError; an aborted call (a newer question replaced it) rejects with
// the AbortError, which callers ignore.
import { ApiError } from './errors.js';

export async function getJson(path, query = '', { signal } = {}) {
  // Relative to the page, so it works however the server mounts it.
  const url = new URL(`api/${path}`, document.baseURI);
  url.search = query;
  const endpoint = `/api/${path}`;
  let response;
  try {
    response = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError({ endpoint, network: true, message: error.message || 'network error' });
  }
  let body = null;
  try {
    body = await response.json();
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError({
      status: response.status,
      endpoint,
      message: `${endpoint} answered HTTP ${response.status} without JSON`,
    });
  }
  if (!response.ok) throw new ApiError({ status: response.status, body, endpoint });
  return body;
}

// @ts-check
/* global fetch, AbortController, setTimeout, clearTimeout */
/**
 * Calls `GET /realtime` and sorts every outcome into one of four states the page shows:
 * figures, a refused token (401/403), an unreachable API (network error, timeout, 5xx), or a
 * request the API calls malformed (400, shown with the API's own message).
 */

const TIMEOUT_MS = 4_000;

/**
 * @typedef {{ kind: 'ok', answer: any }
 *   | { kind: 'unauthorized', status: number, message: string }
 *   | { kind: 'unreachable', message: string }
 *   | { kind: 'invalid', message: string }} Outcome
 */

/**
 * @param {string} apiUrl base URL of the query API ('' = same origin)
 * @param {{ siteId: string, token: string }} credentials
 * @returns {Promise<Outcome>}
 */
export async function fetchRealtime(apiUrl, credentials) {
  const url = `${apiUrl}/realtime?siteId=${encodeURIComponent(credentials.siteId)}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  /** @type {Response} */
  let response;
  try {
    response = await fetch(url, {
      headers: { authorization: `Bearer ${credentials.token}` },
      signal: controller.signal,
      cache: 'no-store',
    });
  } catch (error) {
    const where = apiUrl || 'this server';
    const message =
      error instanceof Error && error.name === 'AbortError'
        ? `No answer from ${where} within ${TIMEOUT_MS / 1000} s.`
        : `The network request to ${where} failed.`;
    return { kind: 'unreachable', message };
  } finally {
    clearTimeout(timer);
  }
  const message = await errorMessage(response);
  if (response.status === 401 || response.status === 403) {
    return { kind: 'unauthorized', status: response.status, message };
  }
  if (response.status === 400) return { kind: 'invalid', message };
  if (!response.ok) {
    return {
      kind: 'unreachable',
      message: `The API answered HTTP ${response.status}: ${message.replace(/\.$/, '')}.`,
    };
  }
  try {
    const answer = await response.json();
    if (typeof answer?.activeSessions !== 'number' || !Array.isArray(answer?.pageviewsPerMinute)) {
      return {
        kind: 'unreachable',
        message: 'The API answered something that is not a realtime answer.',
      };
    }
    return { kind: 'ok', answer };
  } catch {
    return { kind: 'unreachable', message: 'The API answered invalid JSON.' };
  }
}

/** @param {Response} response */
async function errorMessage(response) {
  if (response.ok) return '';
  try {
    const body = await response.clone().json();
    if (typeof body?.error?.message === 'string') return body.error.message;
    if (typeof body?.message === 'string') return body.message;
  } catch {
    // Not JSON (a proxy's error page): fall back to the status text.
  }
  return response.statusText || `HTTP ${response.status}`;
}

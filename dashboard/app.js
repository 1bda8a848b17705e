// @ts-check
/* global document, fetch, setTimeout, clearTimeout, FormData */
/**
 * The live dashboard: reads its settings, then polls `GET /realtime` every few seconds and
 * shows the figures, or a clear problem (API unreachable, token refused) while keeping the last
 * figures on screen, dimmed, with their age.
 */
import { fetchRealtime } from './src/api.js';
import { readCredentials, requestedSiteId, saveCredentials } from './src/credentials.js';
import { renderAnswer, renderProblem, renderSite, renderStatus } from './src/render.js';

const REFRESH_MS = 5_000;

/**
 * The query API's base URL from `config.json` next to the page, which the deployment writes
 * (the local edge serves `''`: this origin). Nothing in the page's own URL can change it: a
 * crafted link must never make the page send a typed read token to someone else's server (the
 * Content-Security-Policy's connect-src names only this API too).
 */
async function loadApiUrl() {
  try {
    const response = await fetch('config.json', { cache: 'no-store' });
    const config = await response.json();
    return typeof config?.apiUrl === 'string' ? config.apiUrl.replace(/\/$/, '') : '';
  } catch {
    return '';
  }
}

/** @param {number} ms */
function age(ms) {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 60 ? `${seconds} s` : `${Math.round(seconds / 60)} min`;
}

async function main() {
  const apiUrl = await loadApiUrl();
  let credentials = readCredentials();
  /** @type {number | undefined} */
  let lastSuccess;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;

  const form = /** @type {HTMLFormElement} */ (document.getElementById('credentials'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    credentials = {
      siteId: String(data.get('siteId') ?? '').trim(),
      token: String(data.get('token') ?? '').trim(),
    };
    saveCredentials(credentials);
    form.reset();
    void refresh();
  });

  async function refresh() {
    if (timer !== undefined) clearTimeout(timer);
    if (credentials === undefined) {
      // The site asked for in the link stays: only its read token is missing.
      const siteId = requestedSiteId();
      if (siteId !== '') renderSite(siteId);
      renderProblem(
        'unauthorized',
        'Read token needed',
        siteId === ''
          ? 'Enter a site id and its read token to see the site’s live figures.'
          : `Enter the read token of site “${siteId}” to see its live figures (a dashboard link ` +
              'can carry it after #token=, which never reaches a server).',
        siteId,
      );
      renderStatus('Waiting for a read token');
      return;
    }
    const { siteId } = credentials;
    renderSite(siteId);
    const outcome = await fetchRealtime(apiUrl, credentials);
    const since =
      lastSuccess === undefined
        ? ''
        : ` Showing figures from ${age(Date.now() - lastSuccess)} ago.`;
    switch (outcome.kind) {
      case 'ok':
        lastSuccess = Date.now();
        renderAnswer(outcome.answer);
        renderProblem(undefined);
        renderStatus(
          `Updated ${new Date(outcome.answer.at).toLocaleTimeString()} · refreshes every ${REFRESH_MS / 1000} s`,
        );
        break;
      case 'unauthorized':
        // The API's own text is for developers (headers, parameters); say what to do instead.
        if (outcome.status === 401) {
          renderProblem(
            'unauthorized',
            'Not a read token',
            `What was entered is not a read token. Enter the read token of site “${siteId}” ` +
              '(it starts with lirt_; an ingest key, li_…, only sends events).',
            siteId,
          );
        } else {
          renderProblem(
            'unauthorized',
            'Read token refused',
            `This read token does not open site “${siteId}”: it belongs to another site or was ` +
              'revoked. Enter the read token of this site.',
            siteId,
          );
        }
        renderStatus(`Not authorized (HTTP ${outcome.status})`);
        break;
      case 'invalid':
        renderProblem('invalid', 'The API refused the request', outcome.message, siteId);
        renderStatus('Request refused');
        break;
      case 'unreachable':
        renderProblem(
          'unreachable',
          'API unreachable',
          `${outcome.message} Retrying every ${REFRESH_MS / 1000} s.${since}`,
        );
        renderStatus('Offline — retrying');
        break;
    }
    // A refused token will not start working by itself; wait for the form instead of polling.
    if (outcome.kind === 'ok' || outcome.kind === 'unreachable') {
      timer = setTimeout(() => void refresh(), REFRESH_MS);
    }
  }

  await refresh();
}

void main();

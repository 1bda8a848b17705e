// @ts-check
/* global window, document, fetch, setTimeout, clearTimeout, FormData, URL */
/**
 * The live dashboard: reads its settings, then polls `GET /realtime` every few seconds and
 * shows the figures, or a clear problem (API unreachable, token refused) while keeping the last
 * figures on screen, dimmed, with their age.
 */
import { fetchRealtime } from './src/api.js';
import { readCredentials, saveCredentials } from './src/credentials.js';
import { renderAnswer, renderProblem, renderSite, renderStatus } from './src/render.js';

const REFRESH_MS = 5_000;

/** `config.json` next to the page: `{ apiUrl }` (the local edge serves it; on AWS the deploy writes it). */
async function loadApiUrl() {
  const override = new URL(window.location.href).searchParams.get('api');
  if (override) return override.replace(/\/$/, '');
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
      renderProblem(
        'unauthorized',
        'No read token',
        'Open the dashboard link that `npm start` printed, or enter a site id and its read token.',
      );
      renderStatus('Waiting for a read token');
      return;
    }
    renderSite(credentials.siteId);
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
        renderProblem(
          'unauthorized',
          outcome.status === 401 ? 'Read token missing or malformed' : 'Read token refused',
          `${outcome.message}. Enter the read token of site “${credentials.siteId}” (not its ingest key).`,
        );
        renderStatus(`Not authorized (HTTP ${outcome.status})`);
        break;
      case 'invalid':
        renderProblem('invalid', 'The API refused the request', outcome.message);
        renderStatus('Request refused');
        break;
      case 'unreachable':
        renderProblem(
          'unreachable',
          'API unreachable',
          `${outcome.message}. Retrying every ${REFRESH_MS / 1000} s.${since}`,
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

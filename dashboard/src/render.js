// @ts-check
/* global document */
/**
 * Puts a realtime answer on the page. Labels and definitions come from the answer itself, so
 * the page never re-defines "active" or "current" differently from the API.
 */
import { renderPageviewsChart } from './chart.js';

const numberFormat = new Intl.NumberFormat();
const percentFormat = new Intl.NumberFormat(undefined, {
  style: 'percent',
  maximumFractionDigits: 1,
});

/** @param {string} id */
function byId(id) {
  const node = document.getElementById(id);
  if (node === null) throw new Error(`the page has no #${id}`);
  return node;
}

/** @param {any} answer a RealtimeAnswer (openapi.json) */
export function renderAnswer(answer) {
  byId('current-visitors').textContent = numberFormat.format(answer.currentVisitors);
  byId('active-sessions').textContent = numberFormat.format(answer.activeSessions);
  byId('bot-share').textContent = percentFormat.format(answer.bots.share);
  byId('current-visitors-label').textContent =
    `Current visitors (last ${answer.windows.currentVisitorsMinutes} min)`;
  byId('active-sessions-label').textContent =
    `Active sessions (last ${answer.windows.activeSessionsMinutes} min)`;
  byId('pageviews-label').textContent =
    `Page views per minute (last ${answer.pageviewsPerMinute.length} min)`;
  byId('current-visitors-definition').textContent = answer.definitions.currentVisitors;
  byId('active-sessions-definition').textContent = answer.definitions.activeSessions;
  const bots = answer.bots.sessions;
  byId('bots-definition').textContent =
    `${numberFormat.format(bots)} bot session${bots === 1 ? '' : 's'}. ${answer.definitions.bots}`;
  byId('breakdowns-definition').textContent = answer.definitions.breakdowns;
  renderPageviewsChart(byId('pageviews-chart'), answer.pageviewsPerMinute, answer.minutesFrom);
  renderTable(byId('top-pages'), 'Page', answer.topPages);
  renderTable(byId('top-referrers'), 'Source', answer.topReferrers);
  renderTable(byId('devices'), 'Device', answer.devices);
  renderTable(byId('countries'), 'Country', answer.countries, countryName);
  renderTable(byId('browsers'), 'Browser', answer.browsers ?? []);
  renderTable(byId('operating-systems'), 'Operating system', answer.operatingSystems ?? []);
  const count = (/** @type {number} */ n) => numberFormat.format(n);
  renderColumns(
    byId('custom-events'),
    [
      { label: 'Event', className: 'name', value: (row) => row.name },
      { label: 'Sessions', className: 'count', value: (row) => count(row.sessions) },
      { label: 'Events', className: 'count', value: (row) => count(row.events) },
    ],
    answer.customEvents ?? [],
    'No custom events',
  );
  renderColumns(
    byId('outbound-links'),
    [
      // Shown as text, never as a link: URLs are visitor-controlled strings.
      { label: 'Link', className: 'name', value: (row) => row.name },
      { label: 'Sessions', className: 'count', value: (row) => count(row.sessions) },
      { label: 'Clicks', className: 'count', value: (row) => count(row.events) },
    ],
    answer.outboundLinks ?? [],
    'No outbound clicks',
  );
  renderColumns(
    byId('page-engagement'),
    [
      { label: 'Page', className: 'name', value: (row) => row.name },
      { label: 'Sessions', className: 'count', value: (row) => count(row.sessions) },
      { label: 'Engaged time', className: 'count', value: (row) => duration(row.engagedMs) },
      {
        label: 'Scroll depth',
        className: 'count',
        value: (row) => (row.scrollDepth === undefined ? '–' : `${row.scrollDepth}%`),
      },
    ],
    answer.pageEngagement ?? [],
    'No engagement reported',
  );
  const definitions = answer.definitions;
  byId('custom-events-definition').textContent = definitions.customEvents ?? '';
  byId('outbound-links-definition').textContent = definitions.outboundLinks ?? '';
  byId('page-engagement-definition').textContent = definitions.pageEngagement ?? '';
  byId('figures').setAttribute('aria-busy', 'false');
}

/**
 * An average engaged time: "12 s", "3 min 05 s".
 * @param {number} ms
 */
function duration(ms) {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, '0')} s`;
}

/** Region names in the reader's language; undefined where the browser has none. */
const regionNames =
  typeof Intl.DisplayNames === 'function'
    ? new Intl.DisplayNames(undefined, { type: 'region' })
    : undefined;

/**
 * "Germany (DE)": the name for people, the code as the API and the metrics have it. Anything
 * that is not a two-letter code (`unknown`) stays as it is.
 * @param {string} code
 */
export function countryName(code) {
  if (!/^[A-Z]{2}$/.test(code) || regionNames === undefined) return code;
  try {
    const name = regionNames.of(code);
    return name === undefined || name === code ? code : `${name} (${code})`;
  } catch {
    return code;
  }
}

/**
 * A breakdown: what (a page, a source…) and how many active sessions, with both columns named
 * so the figures have their unit.
 * @param {HTMLElement} table
 * @param {string} label
 * @param {{ name: string, sessions: number }[]} rows
 * @param {(name: string) => string} [show]
 */
function renderTable(table, label, rows, show = (name) => name) {
  renderColumns(
    table,
    [
      { label, className: 'name', value: (row) => show(row.name) },
      { label: 'Sessions', className: 'count', value: (row) => numberFormat.format(row.sessions) },
    ],
    rows,
    'No active sessions',
  );
}

/**
 * A table of rows with named columns (each with its unit), or one line saying there is none.
 * @template {{ name: string }} Row
 * @param {HTMLElement} table
 * @param {{ label: string, className: string, value: (row: Row) => string }[]} columns
 * @param {Row[]} rows
 * @param {string} empty
 */
function renderColumns(table, columns, rows, empty) {
  const head = document.createElement('thead');
  head.append(row(columns.map((column) => header(column.label, column.className))));
  const body = document.createElement('tbody');
  if (rows.length === 0) body.append(row([cell(empty, 'empty')]));
  for (const item of rows) {
    // textContent, never innerHTML: pages, referrers, event names and URLs are visitor-controlled.
    body.append(row(columns.map((column) => cell(column.value(item), column.className))));
  }
  table.replaceChildren(head, body);
}

/**
 * @param {string} content
 * @param {string} className
 */
function header(content, className) {
  const th = document.createElement('th');
  th.scope = 'col';
  th.className = className;
  th.textContent = content;
  return th;
}

/** @param {HTMLElement[]} cells */
function row(cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

/**
 * @param {string} content
 * @param {string} className
 */
function cell(content, className) {
  const td = document.createElement('td');
  td.className = className;
  td.textContent = content;
  return td;
}

/**
 * The problem panel. The token form shows for the problems a token can solve, never while the
 * API is unreachable; it keeps the site id in question so that only the token is to type.
 * @param {'unreachable' | 'unauthorized' | 'invalid' | undefined} kind
 * @param {string} [title]
 * @param {string} [detail]
 * @param {string} [siteId]
 */
export function renderProblem(kind, title = '', detail = '', siteId = '') {
  const panel = byId('problem');
  const form = byId('credentials');
  document.body.classList.toggle('stale', kind !== undefined);
  if (kind === undefined) {
    panel.hidden = true;
    panel.className = 'problem';
    panel.removeAttribute('data-kind');
    return;
  }
  panel.hidden = false;
  panel.className = `problem ${kind === 'invalid' ? 'unauthorized' : kind}`;
  panel.setAttribute('data-kind', kind);
  byId('problem-title').textContent = title;
  byId('problem-text').textContent = detail;
  form.hidden = kind === 'unreachable';
  const siteInput = /** @type {HTMLInputElement} */ (byId('site-input'));
  if (!form.hidden && siteId !== '' && siteInput.value === '') siteInput.value = siteId;
}

/** @param {string} text */
export function renderStatus(text) {
  byId('status').textContent = text;
}

/** @param {string} siteId */
export function renderSite(siteId) {
  byId('site').textContent = siteId;
  document.title = `LiveInsight — ${siteId}`;
}

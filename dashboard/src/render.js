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
  renderTable(byId('top-pages'), answer.topPages);
  renderTable(byId('top-referrers'), answer.topReferrers);
  renderTable(byId('devices'), answer.devices);
  renderTable(byId('countries'), answer.countries);
  byId('figures').setAttribute('aria-busy', 'false');
}

/**
 * @param {HTMLElement} table
 * @param {{ name: string, sessions: number }[]} rows
 */
function renderTable(table, rows) {
  const body = document.createElement('tbody');
  if (rows.length === 0) {
    body.append(row([cell('No active sessions', 'empty')]));
  }
  for (const { name, sessions } of rows) {
    // textContent, never innerHTML: page paths and referrers are visitor-controlled strings.
    body.append(row([cell(name, 'name'), cell(numberFormat.format(sessions), 'count')]));
  }
  table.replaceChildren(body);
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
 * @param {'unreachable' | 'unauthorized' | 'invalid' | undefined} kind
 * @param {string} [title]
 * @param {string} [detail]
 */
export function renderProblem(kind, title = '', detail = '') {
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

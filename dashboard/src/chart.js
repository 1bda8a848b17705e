// @ts-check
/* global document */
/**
 * Page views per minute as an SVG bar chart: 30 bars, oldest left, the current minute right.
 * Plain SVG (no library): 30 rectangles redrawn every refresh cost nothing.
 */

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 180;
const PAD = { left: 32, right: 8, top: 10, bottom: 22 };

/**
 * @param {HTMLElement} container
 * @param {number[]} perMinute
 * @param {number} minutesFrom epoch ms of the first bar
 */
export function renderPageviewsChart(container, perMinute, minutesFrom) {
  // The drawing is as wide as its box, so text keeps its size and bars use the whole width.
  const WIDTH = Math.max(300, Math.round(container.clientWidth || 600));
  const svg = element('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img' });
  const max = niceCeiling(Math.max(...perMinute));
  const total = perMinute.reduce((sum, n) => sum + n, 0);
  svg.setAttribute(
    'aria-label',
    `Page views per minute, last ${perMinute.length} minutes: ${total} in total, at most ${max} in a minute`,
  );
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / perMinute.length;

  for (const fraction of [0, 0.5, 1]) {
    const y = PAD.top + plotH * (1 - fraction);
    svg.append(element('line', { x1: PAD.left, x2: WIDTH - PAD.right, y1: y, y2: y }));
    svg.append(text(String(max * fraction), PAD.left - 6, y + 4, 'end'));
  }
  perMinute.forEach((count, i) => {
    const h = (count / max) * plotH;
    const bar = element('rect', {
      x: PAD.left + i * slot + 1,
      y: PAD.top + plotH - h,
      width: Math.max(1, slot - 2),
      height: h,
      'data-count': count,
    });
    const minute = new Date(minutesFrom + i * 60_000);
    const title = element('title', {});
    title.textContent = `${minute.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${count} page views`;
    bar.append(title);
    svg.append(bar);
  });
  // Time labels at equal distances, counted back from now: every 5 minutes where they fit
  // (about 48 px apart), else every 10.
  const last = perMinute.length - 1;
  const every = slot * 5 >= 48 ? 5 : 10;
  for (let back = 0; back <= last; back += every) {
    const label = back === 0 ? 'now' : `−${back} min`;
    const x = PAD.left + (last - back) * slot + slot / 2;
    const node = text(label, x, HEIGHT - 6, 'middle');
    node.setAttribute('data-minutes-back', String(back));
    svg.append(node);
  }
  container.replaceChildren(svg);
}

/**
 * The axis top: the smallest of 2, 4, 5, 10, 20, 40, 50, 100, … at or above `max`, so that the
 * middle grid line is a whole number too (1 when there is at most one page view a minute).
 * @param {number} max
 */
function niceCeiling(max) {
  if (max <= 1) return 2;
  const magnitude = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 4, 5, 10]) {
    const candidate = step * magnitude;
    if (candidate >= max && candidate % 2 === 0) return candidate;
  }
  return 10 * magnitude;
}

/**
 * @param {string} name
 * @param {Record<string, string | number>} attributes
 */
function element(name, attributes) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  return node;
}

/**
 * @param {string} content
 * @param {number} x
 * @param {number} y
 * @param {'start' | 'middle' | 'end'} anchor
 */
function text(content, x, y, anchor) {
  const node = element('text', { x, y, 'text-anchor': anchor });
  node.textContent = content;
  return node;
}

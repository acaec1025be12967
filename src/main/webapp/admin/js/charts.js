// Line charts in SVG, drawn here: a few series over the last minutes, the latest value in the legend.
import { h } from './ui.js';

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b'];

/** @param series [{name, points: [[timeMillis, value]]}] */
export function lineChart(title, series, { format = v => String(Math.round(v)), width = 360, height = 140 } = {}) {
  const pad = { l: 44, r: 8, t: 8, b: 20 };
  const all = series.flatMap(s => s.points);
  const now = Date.now();
  const t0 = all.length ? Math.min(...all.map(p => p[0])) : now - 60000;
  const t1 = Math.max(now, t0 + 1000);
  const vmax = Math.max(1, ...all.map(p => p[1]));
  const x = t => pad.l + (t - t0) / (t1 - t0) * (width - pad.l - pad.r);
  const y = v => height - pad.b - v / vmax * (height - pad.t - pad.b);
  const svg = h('svg:svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': `${title}: ${series.map(s => `${s.name} ${format(last(s))}`).join(', ')}`, class: 'chart' },
    h('svg:line', { x1: pad.l, y1: y(0), x2: width - pad.r, y2: y(0), class: 'axis' }),
    h('svg:line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: y(0), class: 'axis' }),
    h('svg:text', { x: pad.l - 4, y: pad.t + 8, 'text-anchor': 'end', class: 'tick' }, format(vmax)),
    h('svg:text', { x: pad.l - 4, y: y(0), 'text-anchor': 'end', class: 'tick' }, '0'),
    h('svg:text', { x: pad.l, y: height - 4, class: 'tick' }, minutesAgo(t1 - t0)),
    h('svg:text', { x: width - pad.r, y: height - 4, 'text-anchor': 'end', class: 'tick' }, 'now'),
    series.map((s, i) => s.points.length > 1
      ? h('svg:polyline', { points: s.points.map(p => `${x(p[0]).toFixed(1)},${y(p[1]).toFixed(1)}`).join(' '), stroke: COLORS[i % COLORS.length], class: 'series' })
      : s.points.length === 1 ? h('svg:circle', { cx: x(s.points[0][0]), cy: y(s.points[0][1]), r: 2, fill: COLORS[i % COLORS.length] }) : null));
  return h('figure', { class: 'chart-box' }, h('figcaption', {}, title), svg,
    h('ul', { class: 'legend' }, series.map((s, i) => h('li', {}, h('span', { class: 'swatch', style: null, dataset: { color: i % COLORS.length } }), `${s.name}: `, h('strong', {}, format(last(s)))))));
}

function last(s) {
  return s.points.length ? s.points[s.points.length - 1][1] : 0;
}

function minutesAgo(ms) {
  const m = Math.round(ms / 60000);
  return m >= 1 ? `${m} min ago` : `${Math.round(ms / 1000)} s ago`;
}

/** Parses the Prometheus text format into {name: [{labels, value}]}. */
export function parsePrometheus(text) {
  const out = {};
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = line.match(/^([a-zA-Z_:][\w:]*)(\{([^}]*)\})?\s+(\S+)/);
    if (!m) continue;
    const labels = {};
    if (m[3]) for (const kv of m[3].matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[kv[1]] = kv[2];
    (out[m[1]] ||= []).push({ labels, value: Number(m[4]) });
  }
  return out;
}

/** The sum of every row of a metric (all its labels): e.g. refusals of every reason. */
export function metricSum(parsed, name) {
  return (parsed[name] || []).reduce((total, row) => total + row.value, 0);
}

export function metric(parsed, name, labels = {}) {
  const rows = parsed[name] || [];
  const row = rows.find(r => Object.entries(labels).every(([k, v]) => r.labels[k] === v));
  return row ? row.value : 0;
}

// Overview: the node's identity and uptime (node.status push), its figures from GET /metrics sampled every
// 5 s (no push carries them) as charts over the last 10 minutes, and current alerts (vault topic "alerts").
import { h, clear, section, fmtBytes, fmtDuration, fmtTime, badge } from '../ui.js';
import { on } from '../live.js';
import { api } from '../api.js';
import { lineChart, parsePrometheus, metric, metricSum } from '../charts.js';

const WINDOW_MS = 10 * 60 * 1000;
const SAMPLE_MS = 5000;
const KEY = 'sb.samples';
const CHARTED = ['switchboard_frames_in_total', 'switchboard_frames_out_total', 'switchboard_bytes_in_total',
  'switchboard_bytes_out_total', 'switchboard_slow_consumer_drops_total', 'switchboard_pong_timeouts_total',
  'switchboard_write_failures_total', 'switchboard_auth_failures_total', 'switchboard_outbound_queued_frames',
  'jvm_memory_heap_used_bytes', 'jvm_memory_heap_max_bytes', 'process_uptime_seconds',
  'switchboard_cluster_members', 'switchboard_cluster_backplane_up'];
// refused handshakes, one row per reason (path, origin, token, capacity, ...): charted as their sum
const REFUSALS = 'switchboard_handshake_refusals_total';
// kept across visits to the page and reloads of the tab, so the charts do not start empty every time:
// [{at, v: {name: value}, dialects: {dialect: connections}}]
const samples = restore();
const alerts = new Map();
let lastStatus = null;

function restore() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || '[]');
    return Array.isArray(s) ? s.filter(x => x.at > Date.now() - WINDOW_MS) : [];
  } catch { return []; }
}

on('node', 'node.status', m => { lastStatus = { payload: m.payload, at: Date.now() }; });
on('vault', 'alert', m => {
  const d = m.data || {};
  const key = `${m.type}:${d.metric}`;
  if (d.level === 'resolved') alerts.delete(key);
  else alerts.set(key, { type: m.type, ...d });
});

async function sample() {
  const r = await api('GET', '/metrics', undefined, { raw: true });
  const parsed = parsePrometheus(await r.text());
  const now = Date.now();
  const v = Object.fromEntries(CHARTED.map(n => [n, metric(parsed, n)]));
  v[REFUSALS] = metricSum(parsed, REFUSALS);
  const dialects = Object.fromEntries((parsed.switchboard_connections || []).map(row => [row.labels.dialect, row.value]));
  samples.push({ at: now, v, dialects });
  while (samples.length && samples[0].at < now - WINDOW_MS) samples.shift();
  try { sessionStorage.setItem(KEY, JSON.stringify(samples)); } catch { /* full: the charts still work */ }
}

function dialectSeries() {
  const keys = new Set(samples.flatMap(s => Object.keys(s.dialects)));
  return [...keys].sort().map(k => ({ name: k, points: samples.map(s => [s.at, s.dialects[k] || 0]) }));
}

function rateSeries(name, title) {
  const pts = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].at - samples[i - 1].at) / 1000;
    const dv = samples[i].v[name] - samples[i - 1].v[name];
    // a drop means the server restarted: its counters began again
    pts.push([samples[i].at, dv >= 0 && dt > 0 ? dv / dt : 0]);
  }
  return { name: title, points: pts };
}

function totalSeries(name, title) {
  return { name: title, points: samples.map(s => [s.at, s.v[name] ?? 0]) };
}

/** This instance and the others it hears (switchboard_cluster_members); says so when the backplane is away. */
function clusterMembers(last) {
  const n = last.switchboard_cluster_members;
  if (!n) return '…';
  return n === 1 ? '1 (this instance alone)' : `${n}${last.switchboard_cluster_backplane_up ? '' : ' (backplane unreachable)'}`;
}

export async function mount(el) {
  const identity = h('dl', { class: 'facts', id: 'identity' });
  const charts = h('div', { class: 'charts', id: 'charts' });
  const alertBox = h('div', { id: 'alerts' });
  el.append(h('h1', {}, 'Overview'),
    section('This node', identity),
    section('Figures (last 10 minutes)', charts),
    section('Alerts', alertBox));

  const drawIdentity = () => {
    clear(identity);
    const p = lastStatus?.payload;
    const last = samples[samples.length - 1]?.v || {};
    const rows = [
      ['Peer id', p?.peer_id ?? '…'],
      ['DHT node id', p?.dht_node_id ?? '…'],
      ['Uptime', p ? fmtDuration(p.uptime_seconds + (Date.now() - lastStatus.at) / 1000) : fmtDuration(last.process_uptime_seconds || 0)],
      ['Cluster members', clusterMembers(last)],
      ['Known peers', p?.known_peers ?? 0],
      ['Services', p?.stats?.services_count ?? '…'],
      ['Open WebSocket connections', p?.stats?.websocket_connections ?? '…'],
      ['Heap', `${fmtBytes(last.jvm_memory_heap_used_bytes)} of ${fmtBytes(last.jvm_memory_heap_max_bytes)}`],
    ];
    rows.forEach(([k, v]) => identity.append(h('dt', {}, k), h('dd', { 'data-key': k }, String(v))));
  };
  const drawCharts = () => {
    clear(charts);
    charts.append(
      lineChart('Open connections by dialect', dialectSeries()),
      lineChart('Frames per second', [rateSeries('switchboard_frames_in_total', 'in'), rateSeries('switchboard_frames_out_total', 'out')], { format: v => v.toFixed(v < 10 ? 1 : 0) }),
      lineChart('Bytes per second', [rateSeries('switchboard_bytes_in_total', 'in'), rateSeries('switchboard_bytes_out_total', 'out')], { format: v => fmtBytes(v) }),
      lineChart('Dropped connections (total)', [totalSeries('switchboard_slow_consumer_drops_total', 'slow consumers'),
        totalSeries('switchboard_pong_timeouts_total', 'pong timeouts'), totalSeries('switchboard_write_failures_total', 'write failures')]),
      lineChart('Refused (total)', [totalSeries('switchboard_auth_failures_total', 'credentials'),
        totalSeries(REFUSALS, 'handshakes')]),
      lineChart('Outbound queued frames', [totalSeries('switchboard_outbound_queued_frames', 'queued')]));
  };
  const drawAlerts = () => {
    clear(alertBox);
    if (!alerts.size) {
      alertBox.append(h('p', { class: 'empty' }, 'No alerts. New ones appear here as the server raises them.'));
      return;
    }
    alertBox.append(h('ul', { class: 'alerts' }, [...alerts.values()].map(a => h('li', { class: `alert ${a.level}` },
      badge(a.level), ' ', h('strong', {}, a.type.replace('_', ' ')), ` ${a.message} (${a.metric} ${a.value} / ${a.threshold}) `,
      h('time', {}, fmtTime(a.timestamp))))));
  };

  let stopped = false;
  const tick = async () => {
    try { await sample(); } catch (e) { /* server away: the live indicator says so */ }
    if (stopped) return;
    drawCharts();
    drawIdentity();
  };
  drawIdentity();
  drawAlerts();
  await tick();
  const timer = setInterval(tick, SAMPLE_MS);
  const offs = [on('node', 'node.status', drawIdentity), on('vault', 'alert', drawAlerts)];
  return () => { stopped = true; clearInterval(timer); offs.forEach(o => o()); };
}

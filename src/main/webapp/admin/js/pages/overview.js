// Overview: the node's identity and uptime (node.status push), its figures from GET /metrics sampled every
// 5 s (no push carries them) as charts over the last 10 minutes, and current alerts (vault topic "alerts").
import { h, clear, section, fmtBytes, fmtDuration, fmtTime, badge } from '../ui.js';
import { on } from '../live.js';
import { api } from '../api.js';
import { lineChart, parsePrometheus, metric } from '../charts.js';

const WINDOW_MS = 10 * 60 * 1000;
const SAMPLE_MS = 5000;
// kept across visits to the page, so the charts do not start empty every time
const samples = [];
const alerts = new Map();
let lastStatus = null;

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
  samples.push({ at: now, parsed });
  while (samples.length && samples[0].at < now - WINDOW_MS) samples.shift();
}

function gaugeSeries(name, label) {
  const keys = new Set(samples.flatMap(s => (s.parsed[name] || []).map(r => r.labels[label])));
  return [...keys].sort().map(k => ({ name: k, points: samples.map(s => [s.at, metric(s.parsed, name, { [label]: k })]) }));
}

function rateSeries(name, title) {
  const pts = [];
  for (let i = 1; i < samples.length; i++) {
    const dt = (samples[i].at - samples[i - 1].at) / 1000;
    const dv = metric(samples[i].parsed, name) - metric(samples[i - 1].parsed, name);
    pts.push([samples[i].at, dv >= 0 && dt > 0 ? dv / dt : 0]);
  }
  return { name: title, points: pts };
}

function totalSeries(name, title) {
  return { name: title, points: samples.map(s => [s.at, metric(s.parsed, name)]) };
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
    const last = samples[samples.length - 1]?.parsed || {};
    const rows = [
      ['Peer id', p?.peer_id ?? '…'],
      ['DHT node id', p?.dht_node_id ?? '…'],
      ['Uptime', p ? fmtDuration(p.uptime_seconds + (Date.now() - lastStatus.at) / 1000) : fmtDuration(metric(last, 'process_uptime_seconds'))],
      ['Known peers', p?.known_peers ?? 0],
      ['Services', p?.stats?.services_count ?? '…'],
      ['Open WebSocket connections', p?.stats?.websocket_connections ?? '…'],
      ['Heap', `${fmtBytes(metric(last, 'jvm_memory_heap_used_bytes'))} of ${fmtBytes(metric(last, 'jvm_memory_heap_max_bytes'))}`],
    ];
    rows.forEach(([k, v]) => identity.append(h('dt', {}, k), h('dd', { 'data-key': k }, String(v))));
  };
  const drawCharts = () => {
    clear(charts);
    charts.append(
      lineChart('Open connections by dialect', gaugeSeries('switchboard_connections', 'dialect')),
      lineChart('Frames per second', [rateSeries('switchboard_frames_in_total', 'in'), rateSeries('switchboard_frames_out_total', 'out')], { format: v => v.toFixed(v < 10 ? 1 : 0) }),
      lineChart('Bytes per second', [rateSeries('switchboard_bytes_in_total', 'in'), rateSeries('switchboard_bytes_out_total', 'out')], { format: v => fmtBytes(v) }),
      lineChart('Dropped connections (total)', [totalSeries('switchboard_slow_consumer_drops_total', 'slow consumers'),
        totalSeries('switchboard_pong_timeouts_total', 'pong timeouts'), totalSeries('switchboard_write_failures_total', 'write failures')]),
      lineChart('Refused credentials (total)', [totalSeries('switchboard_auth_failures_total', 'logins and handshakes')]),
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

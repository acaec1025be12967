// Peers, blacklist and relay: in the navigation once node.status reports known peers (other instances or peers
// registered over /api/peers). Read over REST once, then live from the node pushes (peers.updated every 10 s and
// after a change, blacklist.updated, relay.sessions / relay.candidates when those modes are on). Read-only: the
// REST API writes.
import { h, clear, table, section, fmtTime } from '../ui.js';
import { get } from '../api.js';
import { on } from '../live.js';

let known = false;

export function available() {
  return known;
}

export async function probe() {
  try {
    await get('/api/peers');
    known = true;
  } catch {
    known = false;
  }
  return known;
}

const PEER_COLUMNS = [
  { label: 'Peer', value: p => p.id },
  { label: 'Source', value: p => p.metadata?.source || p.source || 'registered' },
  { label: 'Addresses', value: p => (p.addresses || []).join(', ') || '–' },
  { label: 'Quality', value: p => String(p.connection_quality ?? '–') },
  { label: 'Relay', value: p => p.is_relay ? 'relay' : (p.can_be_relay ? 'can relay' : '–') },
  { label: 'Last seen', value: p => fmtTime(p.last_seen) },
];
const BLACKLIST_COLUMNS = [
  { label: 'Peer', value: b => b.peer_id },
  { label: 'Reason', value: b => b.reason || '–' },
  { label: 'Added', value: b => fmtTime(b.added_at) },
  { label: 'Expires', value: b => (b.expires_at ? fmtTime(b.expires_at) : 'never') },
];
const SESSION_COLUMNS = [
  { label: 'Session', value: s => s.session_id },
  { label: 'Remote peer', value: s => s.remote_peer_id },
  { label: 'Since', value: s => fmtTime(s.start_time) },
  { label: 'Sent / received', value: s => `${s.bytes_sent} / ${s.bytes_recv} B` },
  { label: 'Earnings', value: s => String(s.earnings ?? 0) },
];
const CANDIDATE_COLUMNS = [
  { label: 'Peer', value: c => c.peer_id },
  { label: 'Endpoint', value: c => c.endpoint },
  { label: 'Latency', value: c => c.latency || `${c.latency_ms} ms` },
  { label: 'Reputation', value: c => String(c.reputation_score ?? '–') },
  { label: 'Connected', value: c => (c.is_connected ? 'yes' : 'no') + (c.is_preferred ? ', preferred' : '') },
];

export async function mount(el) {
  el.append(h('h1', {}, 'Peers'));
  const peersBox = h('div', { id: 'peers-list' });
  const blacklistBox = h('div', { id: 'blacklist-list' });
  const sessionsBox = h('div', { id: 'relay-sessions' });
  const candidatesBox = h('div', { id: 'relay-candidates' });
  el.append(section('Known peers', peersBox), section('Blacklist', blacklistBox),
    section('Relay sessions', sessionsBox), section('Relay candidates', candidatesBox));
  const draw = (box, columns, rows, key, empty) => clear(box).append(table(columns,
    rows.map(r => ({ ...r, __data: { peer: r[key] ?? '' } })), { empty }));
  const peers = list => draw(peersBox, PEER_COLUMNS, list, 'id', 'No known peers.');
  const blacklist = list => draw(blacklistBox, BLACKLIST_COLUMNS, list, 'peer_id', 'Nobody is blacklisted.');
  const sessions = list => draw(sessionsBox, SESSION_COLUMNS, list, 'remote_peer_id', 'No relay sessions (or relay mode is off).');
  const candidates = list => draw(candidatesBox, CANDIDATE_COLUMNS, list, 'peer_id', 'No relay candidates (or NAT mode is off).');

  const offs = [
    on('node', 'peers.updated', m => peers(m.payload?.peers || [])),
    on('node', 'blacklist.updated', m => blacklist(m.payload?.blacklist || [])),
    on('node', 'relay.sessions', m => sessions(m.payload?.sessions || [])),
    on('node', 'relay.candidates', m => candidates(m.payload?.candidates || [])),
  ];
  const [k, b, s, c] = await Promise.all(['/api/peers?view=known', '/api/blacklist', '/api/relay/sessions',
    '/api/relay/candidates'].map(p => get(p).catch(() => null)));
  peers(k?.peers || []);
  blacklist(b?.blacklist || []);
  sessions(s?.sessions || []);
  candidates(c?.candidates || []);
  return () => offs.forEach(o => o());
}

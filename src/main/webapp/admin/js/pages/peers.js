// Peers, blacklist and relay: shown only once the server has them (GET /api/peers answers); clustering is not
// built yet, so today the page stays out of the navigation.
import { h, table, section, fmtTime } from '../ui.js';
import { get } from '../api.js';

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

export async function mount(el) {
  el.append(h('h1', {}, 'Peers'));
  const r = await get('/api/peers').catch(() => null);
  if (!r) {
    el.append(h('p', { class: 'empty' }, 'This server has no cluster.'));
    return;
  }
  el.append(section('Members', table([
    { label: 'Peer', value: p => p.peer_id || p.id },
    { label: 'Address', value: p => p.address || '–' },
    { label: 'Status', value: p => p.status || '–' },
    { label: 'Last seen', value: p => fmtTime(p.last_seen) },
  ], r.peers || [], { empty: 'No other members.' })));
  for (const [path, title, key] of [['/api/blacklist', 'Blacklist', 'blacklist'], ['/api/relay', 'Relay sessions', 'sessions']]) {
    const d = await get(path).catch(() => null);
    if (d) el.append(section(title, h('pre', {}, JSON.stringify(d[key] ?? d, null, 2))));
  }
}

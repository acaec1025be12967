// Peers, blacklist and relay: in the navigation once node.status reports known peers (other instances or peers
// registered over /api/peers). Read-only here; the REST API writes.
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
  const k = await get('/api/peers?view=known').catch(() => null);
  el.append(section('Known peers', table([
    { label: 'Peer', value: p => p.id },
    { label: 'Source', value: p => p.source || '–' },
    { label: 'Addresses', value: p => (p.addresses || []).join(', ') || '–' },
    { label: 'Quality', value: p => String(p.connection_quality ?? '–') },
    { label: 'Relay', value: p => p.is_relay ? 'relay' : (p.can_be_relay ? 'can relay' : '–') },
    { label: 'Last seen', value: p => fmtTime(p.last_seen) },
  ], (k && k.peers) || [], { empty: 'No known peers.' })));
  for (const [path, title, key] of [['/api/blacklist', 'Blacklist', 'blacklist'], ['/api/relay/sessions', 'Relay sessions', 'sessions'],
    ['/api/relay/candidates', 'Relay candidates', 'candidates']]) {
    const d = await get(path).catch(() => null);
    if (d) el.append(section(title, h('pre', {}, JSON.stringify(d[key] ?? d, null, 2))));
  }
}

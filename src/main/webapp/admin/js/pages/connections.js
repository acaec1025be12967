// Connections: this instance's open WebSocket connections (GET /api/connections) with a disconnect action
// (admin). No push carries them, so the list is re-read while the page is open and on every control event.
import { h, clear, table, fmtTime, toast, select, field } from '../ui.js';
import { get, del } from '../api.js';
import { isAdmin, canWrite } from '../session.js';

export async function mount(el) {
  el.append(h('h1', {}, 'Connections'));
  if (!canWrite()) {
    el.append(h('p', { class: 'empty' }, 'The connection list needs the role admin or operator.'));
    return;
  }
  const filter = select('dialect', [['', 'all'], 'node', 'vault', 'rtc', 'control', 'workspace'], '');
  const box = h('div', { id: 'connections-list' });
  const count = h('p', { id: 'connections-count', role: 'status' });
  el.append(h('div', { class: 'toolbar' }, field('Dialect', filter), h('button', { type: 'button', onclick: () => draw() }, 'Refresh')), count, box);
  const admin = isAdmin();
  const draw = async () => {
    const r = await get(`/api/connections${filter.value ? `?dialect=${filter.value}` : ''}`);
    count.textContent = `${r.total} open connection(s)${r.total > r.connections.length ? `, first ${r.connections.length} shown` : ''}.`;
    clear(box).append(table([
      { label: 'Dialect', value: c => c.dialect },
      { label: 'User', value: c => c.user || '(anonymous)' },
      { label: 'Client address', value: c => c.client_address || '–' },
      { label: 'Since', value: c => fmtTime(c.since) },
      { label: 'Queued', value: c => c.queued },
      { label: 'Frames in', value: c => c.frames_in },
      { label: 'Frames out', value: c => c.frames_out },
      { label: 'Actions', value: c => h('button', { type: 'button', class: 'danger', disabled: !admin, title: admin ? null : 'Needs the role admin',
        'aria-label': `Disconnect ${c.dialect} connection of ${c.user || 'anonymous'}`, onclick: async () => {
          try { await del(`/api/connections/${c.id}`); toast('Disconnected', 'success'); draw(); } catch (err) { toast(err.message, 'error'); }
        } }, 'Disconnect') },
    ], r.connections.map(c => ({ ...c, __data: { connection: c.id, dialect: c.dialect } })), { empty: 'No connections.' }));
  };
  filter.addEventListener('change', draw);
  await draw();
  const timer = setInterval(() => draw().catch(() => {}), 5000);
  return () => clearInterval(timer);
}

// Messaging: send a Notification (POST /api/notifications) to everyone, a user or a topic; who is online on
// rtc (presence.# topic) and in the workspace chat; the workspace chat itself with its history.
import { h, clear, field, input, select, formError, showErrors, clearErrors, section, fmtTime, toast, badge } from '../ui.js';
import { get, post } from '../api.js';
import { on, LiveSocket } from '../live.js';
import { isAdmin, canWrite, session } from '../session.js';

const presence = new Map(); // user -> {status, last_seen}
on('rtc', 'Presence', m => {
  const d = m.data || {};
  if (d.user_id) presence.set(d.user_id, { status: d.status, last_seen: d.last_seen });
});

export async function mount(el) {
  const admin = isAdmin();
  const form = h('form', { class: 'card', id: 'notify-form', novalidate: true },
    h('h2', {}, 'Send a notification'),
    field('To', select('target', [['all', 'Everyone'], ['user', 'One user'], ['topic', 'A topic\'s subscribers']], 'all')),
    field('User or topic', input('to', { autocomplete: 'off' })),
    field('Level', select('level', ['info', 'success', 'warning', 'error'], 'info')),
    field('Title', input('title')),
    field('Message', h('textarea', { name: 'message', rows: 2, required: true })),
    formError(),
    h('button', { type: 'submit', class: 'primary', disabled: !admin, title: admin ? null : 'Needs the role admin' }, 'Send'),
    h('p', { class: 'result', id: 'notify-result', role: 'status' }));
  const toField = form.querySelector('.field[data-field=to]');
  const syncTarget = () => {
    toField.hidden = form.elements.target.value === 'all';
    // the server names the field after the target: user or topic
    toField.dataset.field = form.elements.target.value === 'topic' ? 'topic' : 'user';
  };
  form.elements.target.addEventListener('change', syncTarget);
  syncTarget();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const body = { level: f.level.value, message: f.message.value };
    if (f.title.value.trim()) body.title = f.title.value.trim();
    if (f.target.value !== 'all') {
      if (!f.to.value.trim()) return showErrors(form, { fields: { [toField.dataset.field]: `Enter the ${toField.dataset.field}` } });
      body[f.target.value] = f.to.value.trim();
    }
    if (!body.message.trim()) return showErrors(form, { fields: { message: 'Enter a message' } });
    try {
      const r = await post('/api/notifications', body);
      form.querySelector('#notify-result').textContent = `Queued for ${r.recipients} connection(s).`;
    } catch (err) { showErrors(form, err); }
  });

  const presenceBox = h('div', { id: 'presence' });
  const chatLog = h('ol', { class: 'chat', id: 'chat-log', 'aria-live': 'polite' });
  const more = h('button', { type: 'button', id: 'chat-older' }, 'Older messages');
  const chatSend = h('button', { type: 'submit', disabled: true }, 'Send');
  const chatForm = h('form', { class: 'chat-form', id: 'chat-form', novalidate: true, dataset: { live: 'down' } },
    field('Message to the workspace', input('text', { autocomplete: 'off', maxlength: 10000 })), chatSend);
  el.append(h('h1', {}, 'Messaging'), form,
    section('Who is online', presenceBox),
    section('Workspace chat', more, chatLog, chatForm));

  const workspaceUsers = new Map(); // username -> status
  const drawPresence = () => {
    const rows = new Map();
    presence.forEach((v, user) => rows.set(user, { user, rtc: v.status, last_seen: v.last_seen }));
    workspaceUsers.forEach((status, user) => rows.set(user, { ...(rows.get(user) || { user }), workspace: status }));
    clear(presenceBox).append(rows.size ? h('ul', { class: 'presence' }, [...rows.values()].sort((a, b) => a.user.localeCompare(b.user)).map(r =>
      h('li', { dataset: { user: r.user } }, h('strong', {}, r.user), ' ',
        r.rtc ? [badge(`rtc ${r.rtc}`, r.rtc), ' '] : null, r.workspace ? badge(`workspace ${r.workspace}`, r.workspace) : null,
        r.rtc === 'offline' && r.last_seen ? ` last seen ${fmtTime(r.last_seen)}` : null)))
      : h('p', { class: 'empty' }, 'Nobody else is online.'));
  };
  // who is connected now (the connection list is for admins and operators); later changes arrive as pushes
  if (canWrite()) {
    try {
      const c = await get('/api/connections');
      c.connections.filter(x => x.user && x.dialect === 'rtc' && !presence.has(x.user)).forEach(x => presence.set(x.user, { status: 'online' }));
      c.connections.filter(x => x.user && x.dialect === 'workspace').forEach(x => workspaceUsers.set(x.user, 'online'));
    } catch { /* read-only view */ }
  }
  drawPresence();

  let oldest = null;
  const line = m => h('li', { dataset: { id: m.id } }, h('time', {}, fmtTime(m.createdAt)), ' ', h('strong', {}, m.username), ': ', m.text);
  const loadOlder = async () => {
    const r = await get(`/api/workspace/messages?limit=50${oldest ? `&before=${encodeURIComponent(oldest)}` : ''}`);
    r.messages.forEach(m => chatLog.prepend(line(m)));
    if (r.messages.length) oldest = r.messages[r.messages.length - 1].id;
    more.hidden = !r.hasMore;
  };
  more.addEventListener('click', loadOlder);
  await loadOlder();
  chatLog.scrollTop = chatLog.scrollHeight;

  // the chat is joined only while this page is open, as the signed-in user
  const chat = new LiveSocket('workspace', '/workspace/ws', { typeOf: m => m.type });
  const offs = [
    on('workspace', 'message:new', m => { chatLog.append(line(m.data)); chatLog.scrollTop = chatLog.scrollHeight; }),
    on('workspace', 'presence:update', m => { workspaceUsers.set(m.data.username, m.data.status); drawPresence(); }),
    on('workspace', 'connected', m => { workspaceUsers.set(m.username, 'online'); drawPresence(); }),
    on('workspace', 'error', m => toast(`Chat: ${m.data?.message || m.data?.code}`, 'error')),
    on('rtc', 'Presence', drawPresence),
    on('workspace', '@state', e => { chatForm.dataset.live = e.state; chatSend.disabled = e.state !== 'up'; }),
  ];
  chat.start();
  chatForm.addEventListener('submit', e => {
    e.preventDefault();
    const text = chatForm.elements.text.value;
    if (!text.trim()) return;
    if (chat.send({ type: 'message:send', text })) chatForm.reset();
    else toast('The chat is not connected yet', 'error');
  });
  return () => { chat.stop(); offs.forEach(o => o()); };
}
export { session };

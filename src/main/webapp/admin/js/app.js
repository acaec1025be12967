// The console's shell: sign-in, navigation (hash routes, so every page is a link and the back button works),
// token expiry (warned, then back to sign-in), the live sockets, and the page in view.
import { h, clear, toast } from './ui.js';
import { session, signOut, onSession, isAdmin } from './session.js';
import { sockets, startAll, stopAll, on, overallState } from './live.js';
import { get } from './api.js';
import * as signin from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as services from './pages/services.js';
import * as workflows from './pages/workflows.js';
import * as messaging from './pages/messaging.js';
import * as connections from './pages/connections.js';
import * as events from './pages/events.js';
import * as users from './pages/users.js';
import * as account from './pages/account.js';
import * as peers from './pages/peers.js';

const PAGES = [
  ['overview', 'Overview', overview],
  ['services', 'Services', services],
  ['workflows', 'Workflows', workflows],
  ['messaging', 'Messaging', messaging],
  ['connections', 'Connections', connections],
  ['events', 'Events', events],
  ['users', 'Users', users, () => isAdmin()],
  ['peers', 'Peers', peers, () => peers.available()],
  ['account', 'Account', account, () => false],
];

const view = document.getElementById('view');
let unmount = null;
let expiryTimers = [];

function nav() {
  const n = document.getElementById('nav');
  clear(n);
  const route = currentRoute();
  n.append(h('ul', {}, PAGES.filter(([, , , visible]) => !visible || visible()).map(([id, label]) =>
    h('li', {}, h('a', { href: `#/${id}`, 'aria-current': id === route.page ? 'page' : null }, label)))));
}

function currentRoute() {
  const [page = 'overview', ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  return { page: page || 'overview', args: rest.map(decodeURIComponent) };
}

export function go(path) {
  location.hash = `#/${path}`;
}

async function render() {
  unmount?.();
  unmount = null;
  clear(view);
  document.body.dataset.page = '';
  const s = session();
  document.getElementById('who').hidden = !s;
  document.getElementById('nav').hidden = !s;
  document.getElementById('menu-toggle').hidden = !s;
  if (!s) {
    document.title = 'Sign in · Switchboard';
    unmount = signin.mount(view) || null;
    document.body.dataset.page = 'signin';
    return;
  }
  const route = currentRoute();
  const entry = PAGES.find(([id, , , visible]) => id === route.page && (!visible || visible() || id === 'account'))
    || PAGES[0];
  document.getElementById('me').textContent = s.username;
  nav();
  document.title = `${entry[1]} · Switchboard`;
  document.body.dataset.page = entry[0];
  const container = h('div', { class: 'page', id: `page-${entry[0]}` });
  view.append(container);
  try {
    unmount = (await entry[2].mount(container, route.args)) || null;
  } catch (e) {
    container.append(h('p', { class: 'form-error', role: 'alert' }, `This page failed to load: ${e.message}`));
    console.warn(e);
  }
  if (document.activeElement === document.body) view.focus({ preventScroll: true });
}

function banner(text) {
  const b = document.getElementById('banner');
  b.textContent = text || '';
  b.hidden = !text;
}

function scheduleExpiry(s) {
  expiryTimers.forEach(clearTimeout);
  expiryTimers = [];
  if (!s) return;
  const left = s.expiresAt * 1000 - Date.now();
  const warnAt = left - 5 * 60 * 1000;
  expiryTimers.push(setTimeout(() => banner('Your session ends in less than 5 minutes: save your work and sign in again.'),
    Math.max(0, warnAt)));
  expiryTimers.push(setTimeout(() => signOut('Your session has expired; sign in again.'), Math.max(0, left)));
}

function liveIndicator() {
  const el = document.getElementById('live');
  const state = overallState();
  el.dataset.state = state;
  el.textContent = state === 'up' ? 'live' : 'reconnecting…';
  document.body.dataset.live = state;
}

onSession((s, reason) => {
  scheduleExpiry(s);
  banner('');
  if (s) {
    startAll();
  } else {
    stopAll();
    if (reason) signin.notice(reason);
  }
  render();
});

on('live', 'state', liveIndicator);
// the peers page appears once the node knows other members (no request for a cluster that does not exist)
on('node', 'node.status', m => {
  if (m.payload?.known_peers > 0 && !peers.available()) peers.probe().then(nav);
});
on('rtc', 'Notification', m => toast(`${m.data?.title ? m.data.title + ': ' : ''}${m.data?.message ?? ''}`, m.data?.level || 'info'));
on('rtc', 'AuthStatus', m => {
  if (m.data?.status === 'token_expiring') banner('Your session is about to expire: sign in again to keep working.');
});

window.addEventListener('hashchange', render);
document.getElementById('sign-out').addEventListener('click', () => signOut('Signed out.'));
document.getElementById('menu-toggle').addEventListener('click', e => {
  const n = document.getElementById('nav');
  const open = e.currentTarget.getAttribute('aria-expanded') !== 'true';
  e.currentTarget.setAttribute('aria-expanded', String(open));
  n.classList.toggle('open', open);
});
document.getElementById('nav').addEventListener('click', e => {
  if (e.target.closest('a')) {
    document.getElementById('nav').classList.remove('open');
    document.getElementById('menu-toggle').setAttribute('aria-expanded', 'false');
  }
});

// a reload keeps the session (sessionStorage) and the sockets come back
if (session()) {
  // a 401 here signs out (api.js); a server that is away now is waited for by the sockets' reconnection
  get('/api/users/me').catch(() => null).then(() => {
    if (session()) {
      scheduleExpiry(session());
      startAll();
    }
    render();
  });
} else {
  render();
}
liveIndicator();
export { sockets };

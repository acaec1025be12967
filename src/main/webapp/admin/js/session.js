// Who is signed in: the token (kept in sessionStorage: this tab only, survives a reload), its expiry and groups.
const KEY = 'sb.session';
const listeners = new Set();
let current = read();

function read() {
  try {
    const s = JSON.parse(sessionStorage.getItem(KEY) || 'null');
    return s && s.token && s.expiresAt * 1000 > Date.now() ? s : null;
  } catch { return null; }
}

/** The claims of a JWT (not verified: the server does that; this is only for display and expiry). */
export function claims(token) {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(decodeURIComponent(Array.from(json, c => '%' + c.charCodeAt(0).toString(16).padStart(2, '0')).join('')));
}

export function session() {
  return current;
}

export function signIn(token, expiresAt, me) {
  current = { token, expiresAt, username: me.username, groups: me.groups || [], local: !!me.local };
  sessionStorage.setItem(KEY, JSON.stringify(current));
  listeners.forEach(l => l(current, null));
}

export function signOut(reason) {
  current = null;
  sessionStorage.clear(); // the token and the overview's samples
  listeners.forEach(l => l(null, reason));
}

export function onSession(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function inGroup(g) {
  return !!current && current.groups.includes(g);
}

/** admin or operator: may change services, workflows, executions. The server checks regardless. */
export function canWrite() {
  return inGroup('admin') || inGroup('operator');
}

export function isAdmin() {
  return inGroup('admin');
}

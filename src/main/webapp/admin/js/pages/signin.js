// Sign in with a local user (POST /api/auth/login) or with a token from an identity provider.
import { h, field, input, formError, showErrors, clearErrors } from '../ui.js';
import { signIn, claims } from '../session.js';
import { api, post } from '../api.js';

let pendingNotice = '';

export function notice(text) {
  pendingNotice = text;
}

export function mount(view) {
  const msg = h('p', { class: 'notice', role: 'status', hidden: !pendingNotice }, pendingNotice);
  pendingNotice = '';
  const local = h('form', { class: 'card signin', id: 'login-form', novalidate: true },
    h('h2', {}, 'Sign in'),
    field('User name', input('username', { autocomplete: 'username', required: true, autofocus: true })),
    field('Password', input('password', { type: 'password', autocomplete: 'current-password', required: true })),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  local.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(local);
    const username = local.username.value.trim();
    const password = local.password.value;
    const fields = {};
    if (!username) fields.username = 'Enter your user name';
    if (!password) fields.password = 'Enter your password';
    if (Object.keys(fields).length) return showErrors(local, { fields });
    try {
      const r = await post('/api/auth/login', { username, password });
      await finish(r.token, r.expires_at);
    } catch (err) {
      showErrors(local, { message: err.status === 401 ? 'Wrong user name or password' : err.message });
    }
  });

  const idp = h('form', { class: 'card signin', id: 'token-form', novalidate: true },
    h('h2', {}, 'Use a token'),
    h('p', { class: 'hint' }, 'Paste an access token (JWT) from your identity provider.'),
    field('Access token', h('textarea', { name: 'token', rows: 4, spellcheck: 'false', required: true })),
    formError(),
    h('button', { type: 'submit' }, 'Use token'));
  idp.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(idp);
    const token = idp.token.value.trim();
    let exp;
    try {
      exp = claims(token).exp;
      if (!exp) throw new Error();
    } catch {
      return showErrors(idp, { fields: { token: 'This is not a JWT with an expiry (exp)' } });
    }
    if (exp * 1000 <= Date.now()) return showErrors(idp, { fields: { token: 'This token has expired' } });
    try {
      await finish(token, exp);
    } catch (err) {
      showErrors(idp, { fields: { token: err.status === 401 ? 'The server does not accept this token' : err.message } });
    }
  });

  view.append(h('div', { class: 'signin-wrap' }, h('h1', {}, 'Switchboard console'), msg, h('div', { class: 'signin-forms' }, local, idp)));
}

async function finish(token, expiresAt) {
  const r = await fetch('/api/users/me', { headers: { Authorization: `Bearer ${token}` } });
  if (!r.ok) {
    const e = new Error(r.status === 401 ? 'Refused' : `${r.status}`);
    e.status = r.status;
    throw e;
  }
  const me = await r.json();
  signIn(token, expiresAt, me);
}
export { api };

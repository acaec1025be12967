// The signed-in user: who, groups, when the session ends; a local user changes their own password here.
import { h, field, input, formError, showErrors, clearErrors, section, fmtTime, toast } from '../ui.js';
import { put } from '../api.js';
import { session } from '../session.js';

export function mount(el) {
  const s = session();
  el.append(h('h1', {}, 'Account'),
    section('You', h('dl', { class: 'facts' },
      h('dt', {}, 'User'), h('dd', { id: 'account-user' }, s.username),
      h('dt', {}, 'Groups'), h('dd', { id: 'account-groups' }, s.groups.join(', ') || '(none: read-only)'),
      h('dt', {}, 'Session ends'), h('dd', {}, fmtTime(s.expiresAt)))));
  if (!s.local) {
    el.append(h('p', {}, 'You signed in with an identity provider\'s token: change your password there.'));
    return;
  }
  const form = h('form', { class: 'card', id: 'password-form', novalidate: true },
    h('h2', {}, 'Change your password'),
    field('Current password', input('current_password', { type: 'password', autocomplete: 'current-password' })),
    field('New password', input('password', { type: 'password', autocomplete: 'new-password' }), 'At least 8 characters. You will be signed out everywhere.'),
    formError(), h('button', { type: 'submit', class: 'primary' }, 'Change password'));
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    try {
      await put('/api/users/me/password', { current_password: form.elements.current_password.value, password: form.elements.password.value });
      toast('Password changed', 'success');
      form.reset();
    } catch (err) { showErrors(form, err); }
  });
  el.append(form);
}

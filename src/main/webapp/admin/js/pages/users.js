// Users (admin): list, create with groups, change groups, reset a password, disable/enable, delete.
import { h, clear, field, input, formError, showErrors, clearErrors, table, section, fmtTime, toast, badge } from '../ui.js';
import { get, post, put, del } from '../api.js';
import { isAdmin } from '../session.js';

const groupsOf = text => text.split(',').map(s => s.trim()).filter(Boolean);

export async function mount(el) {
  el.append(h('h1', {}, 'Users'));
  if (!isAdmin()) {
    el.append(h('p', { class: 'empty' }, 'Managing users needs the role admin.'));
    return;
  }
  const box = h('div', { id: 'users-list' });
  const create = h('form', { class: 'card', id: 'user-form', novalidate: true },
    h('h2', {}, 'New user'),
    field('User name', input('username', { autocomplete: 'off', required: true })),
    field('Password', input('password', { type: 'password', autocomplete: 'new-password', required: true }), 'At least 8 characters.'),
    field('Groups', input('groups', { placeholder: 'operator' }), 'Comma separated: admin, operator, or your own.'),
    formError(),
    h('button', { type: 'submit', class: 'primary' }, 'Create user'));
  create.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(create);
    const f = create.elements;
    try {
      await post('/api/users', { username: f.username.value.trim(), password: f.password.value, groups: groupsOf(f.groups.value) });
      toast(`User ${f.username.value.trim()} created`, 'success');
      create.reset();
      draw();
    } catch (err) { showErrors(create, err.status === 409 ? { fields: { username: err.message } } : err); }
  });
  const edit = h('div', { id: 'user-edit' });
  el.append(box, create, edit);

  const draw = async () => {
    const r = await get('/api/users');
    clear(box).append(table([
      { label: 'User', value: u => u.username },
      { label: 'Groups', value: u => u.groups.join(', ') || '–' },
      { label: 'State', value: u => badge(u.disabled ? 'disabled' : 'enabled') },
      { label: 'Created', value: u => fmtTime(u.created_at) },
      { label: 'Actions', value: u => h('span', { class: 'row-actions' },
        h('button', { type: 'button', 'aria-label': `Edit ${u.username}`, onclick: () => editor(u) }, 'Edit'),
        h('button', { type: 'button', 'aria-label': `${u.disabled ? 'Enable' : 'Disable'} ${u.username}`, onclick: async () => {
          try { await put(`/api/users/${encodeURIComponent(u.username)}`, { disabled: !u.disabled }); draw(); } catch (err) { toast(err.message, 'error'); }
        } }, u.disabled ? 'Enable' : 'Disable')) },
    ], r.users.map(u => ({ ...u, __data: { user: u.username } }))));
  };
  const editor = u => {
    const groups = h('form', { class: 'card', id: 'groups-form', novalidate: true },
      h('h2', {}, `${u.username}: groups`),
      field('Groups', input('groups', { value: u.groups.join(', ') }), 'Comma separated.'),
      formError(), h('button', { type: 'submit', class: 'primary' }, 'Save groups'));
    groups.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(groups);
      try { await put(`/api/users/${encodeURIComponent(u.username)}`, { groups: groupsOf(groups.elements.groups.value) }); toast('Groups saved', 'success'); draw(); } catch (err) { showErrors(groups, err); }
    });
    const pw = h('form', { class: 'card', id: 'reset-form', novalidate: true },
      h('h2', {}, `${u.username}: new password`),
      field('New password', input('password', { type: 'password', autocomplete: 'new-password' })),
      formError(), h('button', { type: 'submit' }, 'Reset password'));
    pw.addEventListener('submit', async e => {
      e.preventDefault();
      clearErrors(pw);
      try { await put(`/api/users/${encodeURIComponent(u.username)}/password`, { password: pw.elements.password.value }); toast('Password reset', 'success'); pw.reset(); } catch (err) { showErrors(pw, err); }
    });
    const remove = h('button', { type: 'button', class: 'danger' }, `Delete ${u.username}`);
    remove.addEventListener('click', async () => {
      if (remove.dataset.armed !== 'yes') { remove.dataset.armed = 'yes'; remove.textContent = `Confirm: delete ${u.username}`; return; }
      try { await del(`/api/users/${encodeURIComponent(u.username)}`); clear(edit); draw(); } catch (err) { toast(err.message, 'error'); }
    });
    clear(edit).append(groups, pw, remove);
    groups.elements.groups.focus();
  };
  await draw();
}

// Services: the list with live status (services.updated), create/edit/delete of DOCKER, DATA and STANDALONE
// services with the server's field errors at the fields, and a service's files: list, download, delete, upload
// (upload.js) and its open upload sessions (GET/DELETE /api/uploads); operations (operations.js) on both.
import { h, clear, field, input, select, formError, showErrors, clearErrors, table, section, fmtBytes, fmtTime, badge, toast } from '../ui.js';
import { get, post, put, del, api } from '../api.js';
import { on } from '../live.js';
import { canWrite } from '../session.js';
import * as uploader from '../upload.js';
import { operationsPanel } from '../operations.js';

const TYPES = ['DOCKER', 'DATA', 'STANDALONE'];
const STATUSES = ['ACTIVE', 'INACTIVE', 'STARTING', 'STOPPING', 'ERROR'];

export async function mount(el, args) {
  if (args[0] === 'new') return editor(el, null);
  if (args[0] && args[1] === 'edit') return editor(el, await get(`/api/services/${encodeURIComponent(args[0])}`));
  if (args[0]) return detail(el, args[0]);
  return list(el);
}

function list(el) {
  const box = h('div', { id: 'services-list' });
  el.append(h('div', { class: 'title-row' }, h('h1', {}, 'Services'),
    canWrite() ? h('a', { class: 'button primary', href: '#/services/new' }, 'New service') : null), box);
  const draw = services => {
    clear(box).append(table([
      { label: 'Name', value: s => h('a', { href: `#/services/${s.id}` }, s.name) },
      { label: 'Type', value: s => s.type },
      { label: 'Status', value: s => badge(s.status) },
      { label: 'Description', value: s => s.description || '' },
      { label: 'Updated', value: s => fmtTime(s.updated_at) },
    ], services.map(s => ({ ...s, __data: { service: s.name } })), { empty: 'No services yet.' }));
  };
  get('/api/services').then(r => draw(r.services));
  // operations make services: pull, build, clone, compile, validate, with their progress and logs
  const operations = operationsPanel();
  el.append(section('Operations', operations.el));
  const off = on('node', 'services.updated', m => draw(m.payload.services));
  return () => { off(); operations.off(); };
}

function editor(el, service) {
  const s = service || { type: 'STANDALONE', status: 'ACTIVE', config: {}, capabilities: {}, interfaces: [] };
  const cfg = s.config || {};
  const form = h('form', { class: 'card', id: 'service-form', novalidate: true },
    field('Name', input('name', { value: s.name || '', required: true, autocomplete: 'off' })),
    field('Description', input('description', { value: s.description || '' })),
    field('Type', select('type', TYPES, s.type)),
    field('Status', select('status', STATUSES, s.status)),
    h('fieldset', { class: 'type-fields', 'data-type': 'DOCKER' }, h('legend', {}, 'Docker'),
      field('Image', input('config.image', { value: cfg.image || '', placeholder: 'alpine:3.20' })),
      field('Command (JSON array)', input('config.command', { value: cfg.command ? JSON.stringify(cfg.command) : '', placeholder: '["sh","-c","cat"]' })),
      field('Environment (JSON object)', input('config.env', { value: cfg.env ? JSON.stringify(cfg.env) : '', placeholder: '{"KEY":"value"}' })),
      field('Working directory', input('config.working_dir', { value: cfg.working_dir || '' }))),
    h('fieldset', { class: 'type-fields', 'data-type': 'STANDALONE' }, h('legend', {}, 'Standalone'),
      field('Executable (absolute path)', input('config.executable', { value: cfg.executable || '', placeholder: '/usr/bin/env' }))),
    h('fieldset', { class: 'type-fields', 'data-type': 'DATA' }, h('legend', {}, 'Data'),
      h('p', { class: 'hint' }, 'A data service holds files; jobs downstream of it see its file area.')),
    field('Other config (JSON object)', h('textarea', { name: 'config', rows: 2 }, JSON.stringify(strip(cfg)))),
    field('Pricing amount', input('pricing_amount', { type: 'number', min: 0, step: 'any', value: s.pricing_amount ?? 0 })),
    formError(),
    h('div', { class: 'actions' },
      h('button', { type: 'submit', class: 'primary' }, service ? 'Save' : 'Create'),
      h('a', { class: 'button', href: service ? `#/services/${service.id}` : '#/services' }, 'Cancel')));
  const showType = () => form.querySelectorAll('.type-fields').forEach(f => { f.hidden = f.dataset.type !== form.elements.type.value; });
  form.elements.type.addEventListener('change', showType);
  showType();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const fields = {};
    const json = (name, want) => {
      const v = form.elements[name].value.trim();
      if (!v) return undefined;
      try {
        const parsed = JSON.parse(v);
        if (want === 'array' ? !Array.isArray(parsed) : (typeof parsed !== 'object' || Array.isArray(parsed) || !parsed)) throw new Error();
        return parsed;
      } catch { fields[name] = want === 'array' ? 'must be a JSON array' : 'must be a JSON object'; return undefined; }
    };
    const config = json('config', 'object') || {};
    const type = form.elements.type.value;
    if (type === 'DOCKER') {
      config.image = form.elements['config.image'].value.trim();
      const command = json('config.command', 'array'); if (command) config.command = command;
      const env = json('config.env', 'object'); if (env) config.env = env;
      const wd = form.elements['config.working_dir'].value.trim(); if (wd) config.working_dir = wd;
    }
    if (type === 'STANDALONE') config.executable = form.elements['config.executable'].value.trim();
    if (Object.keys(fields).length) return showErrors(form, { fields });
    const body = {
      name: form.elements.name.value.trim(), description: form.elements.description.value, type, status: form.elements.status.value, config,
      capabilities: s.capabilities || {}, interfaces: s.interfaces || [], pricing_amount: Number(form.elements.pricing_amount.value || 0),
    };
    try {
      const saved = service ? await put(`/api/services/${service.id}`, body) : await post('/api/services', body);
      toast(`Service ${saved.name} saved`, 'success');
      location.hash = `#/services/${saved.id}`;
    } catch (err) {
      showErrors(form, err);
    }
  });
  el.append(h('h1', {}, service ? `Edit ${service.name}` : 'New service'), form);
}

function strip(cfg) {
  const rest = { ...cfg };
  ['image', 'command', 'env', 'working_dir', 'executable'].forEach(k => delete rest[k]);
  return rest;
}

async function detail(el, id) {
  const service = await get(`/api/services/${encodeURIComponent(id)}`);
  const status = h('span', { id: 'service-status' }, badge(service.status));
  const write = canWrite();
  const del1 = h('button', { type: 'button', class: 'danger', disabled: !write, title: write ? null : 'Needs the role admin or operator' }, 'Delete service');
  del1.addEventListener('click', async () => {
    if (del1.dataset.armed !== 'yes') { del1.dataset.armed = 'yes'; del1.textContent = 'Confirm delete'; return; }
    try { await del(`/api/services/${service.id}`); toast(`Service ${service.name} deleted`, 'success'); location.hash = '#/services'; } catch (err) { toast(err.message, 'error'); }
  });
  el.append(h('div', { class: 'title-row' }, h('h1', {}, service.name), status,
    write ? h('a', { class: 'button', href: `#/services/${service.id}/edit` }, 'Edit') : null, del1),
    section('Definition', h('dl', { class: 'facts' },
      h('dt', {}, 'Type'), h('dd', {}, service.type),
      h('dt', {}, 'Description'), h('dd', {}, service.description || '–'),
      h('dt', {}, 'Config'), h('dd', {}, h('code', {}, JSON.stringify(service.config))))));

  const files = h('div', { id: 'files' });
  const sessions = h('div', { id: 'upload-sessions' });
  const progress = h('div', { id: 'uploads-progress' });
  const uploadForm = h('form', { class: 'upload-form', id: 'upload-form', novalidate: true },
    field('File', input('file', { type: 'file', required: true })),
    field('Path in the file area', input('path', { placeholder: 'same as the file name' })),
    field('Chunk size', select('chunk', [[65536, '64 KB'], [262144, '256 KB'], [1048576, '1 MB'], [4194304, '4 MB']], 1048576)),
    formError(),
    h('button', { type: 'submit', class: 'primary', disabled: !write }, 'Upload'));
  uploadForm.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(uploadForm);
    const file = uploadForm.file.files[0];
    if (!file) return showErrors(uploadForm, { fields: { file: 'Choose a file' } });
    try {
      await uploader.start(file, service.id, uploadForm.path.value.trim() || file.name, Number(uploadForm.chunk.value));
      uploadForm.reset();
    } catch (err) { showErrors(uploadForm, { fields: { path: err.message } }); }
  });

  const drawFiles = async () => {
    const r = await get(`/api/services/${service.id}/files`);
    clear(files).append(table([
      { label: 'Path', value: f => f.file_path },
      { label: 'Size', value: f => fmtBytes(f.size) },
      { label: 'Modified', value: f => fmtTime(f.modified_at) },
      { label: 'Actions', value: f => h('span', { class: 'row-actions' },
        h('button', { type: 'button', onclick: () => download(service.id, f.file_path) }, 'Download'),
        h('button', { type: 'button', class: 'danger', disabled: !write, onclick: async () => {
          try { await del(`/api/services/${service.id}/files/${f.file_path.split('/').map(encodeURIComponent).join('/')}`); drawFiles(); } catch (err) { toast(err.message, 'error'); }
        } }, 'Delete')) },
    ], r.files.map(f => ({ ...f, __data: { file: f.file_path } })), { empty: 'No files.' }));
  };
  const drawSessions = async () => {
    const r = await get(`/api/uploads?service_id=${service.id}`);
    const mine = uploader.stored();
    clear(sessions).append(table([
      { label: 'File', value: u => u.file_path },
      { label: 'Owner', value: u => u.owner },
      { label: 'Status', value: u => badge(u.status) },
      { label: 'Progress', value: u => `${u.percentage.toFixed(0)} % of ${fmtBytes(u.total_size)}` },
      { label: 'Updated', value: u => fmtTime(u.updated_at) },
      { label: 'Actions', value: u => h('span', { class: 'row-actions' },
        mine[u.session_id] && !uploader.uploads().some(x => x.meta.sessionId === u.session_id && x.state !== 'failed')
          ? h('label', { class: 'button' }, 'Resume: choose the file again',
            h('input', { type: 'file', class: 'visually-hidden', 'aria-label': `Choose ${u.filename} again to resume`, dataset: { session: u.session_id }, onchange: e => {
              try { uploader.reattach(u.session_id, e.target.files[0]); drawProgress(); } catch (err) { toast(err.message, 'error'); }
            } })) : null,
        h('button', { type: 'button', class: 'danger', onclick: async () => {
          try { await del(`/api/uploads/${u.session_id}`); uploader.forget(u.session_id); drawSessions(); drawProgress(); } catch (err) { toast(err.message, 'error'); }
        } }, 'Cancel')) },
    ], r.uploads.map(u => ({ ...u, __data: { session: u.session_id } })), { empty: 'No open upload sessions.' }));
  };
  // one row per upload, updated in place (its buttons are rebuilt only when its state changes)
  const rows = new Map();
  const drawProgress = () => {
    for (const u of uploader.uploads().filter(x => x.meta.serviceId == service.id)) {
      let row = rows.get(u.meta.sessionId);
      if (!row) {
        const id = `p-${u.meta.sessionId}`;
        row = { el: h('div', { class: 'upload', dataset: { session: u.meta.sessionId } }), label: h('label', { for: id }),
          bar: h('progress', { id, max: 100, value: 0 }), pct: h('span', { class: 'pct' }), buttons: h('span', { class: 'row-actions' }), state: null };
        row.el.append(row.label, row.bar, row.pct, row.buttons);
        rows.set(u.meta.sessionId, row);
        progress.append(row.el);
      }
      row.label.textContent = `${u.meta.filePath}: ${u.state}${u.error ? ' – ' + u.error : ''}`;
      row.bar.value = Number(u.percentage.toFixed(1));
      row.bar.textContent = row.pct.textContent = `${u.percentage.toFixed(0)} %`;
      if (row.state !== u.state) {
        row.state = u.state;
        row.el.dataset.state = u.state;
        clear(row.buttons).append(...[
          u.state === 'uploading' ? h('button', { type: 'button', class: 'pause', onclick: () => u.pause() }, 'Pause') : null,
          u.state === 'paused' || u.state === 'failed' ? h('button', { type: 'button', class: 'resume', onclick: () => u.resume() }, 'Resume') : null,
          u.hash ? h('code', { class: 'hash' }, u.hash) : null].filter(Boolean));
      }
    }
  };
  let last = 0;
  const offUpload = uploader.onChange(u => {
    drawProgress();
    if (u.state === 'completed') { drawFiles(); drawSessions(); }
    else if (u.state !== 'uploading' || Date.now() - last > 2000) { last = Date.now(); drawSessions(); }
  });
  const operations = operationsPanel({ serviceName: service.name });
  el.append(section('Files', files), section('Upload', uploadForm, progress), section('Open upload sessions', sessions),
    section('Operations', operations.el));
  await Promise.all([drawFiles(), drawSessions()]);
  drawProgress();
  const offStatus = on('node', 'services.updated', m => {
    const s = m.payload.services.find(x => String(x.id) === String(service.id));
    if (s) clear(status).append(badge(s.status));
  });
  const offFiles = on('vault', 'file_uploaded', drawFiles);
  return () => { offUpload(); offStatus(); offFiles(); operations.off(); };
}

async function download(serviceId, path) {
  const r = await api('GET', `/api/services/${serviceId}/files/${path.split('/').map(encodeURIComponent).join('/')}`, undefined, { raw: true });
  const url = URL.createObjectURL(await r.blob());
  const a = h('a', { href: url, download: path.split('/').pop() });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

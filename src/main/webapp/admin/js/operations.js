// Operations (README: Operations): start a Docker pull/build/create or a standalone clone/build/validate/upload
// over REST, and follow each live over /api/ws (docker.* and standalone.* frames) with a progress bar, its log and
// a cancel action. Used by the services list (every operation) and by a service's page (that service's).
import { h, clear, field, input, select, formError, showErrors, clearErrors, badge, fmtTime, toast } from './ui.js';
import { get, post } from './api.js';
import { on } from './live.js';
import { canWrite } from './session.js';

// kind → the body fields it takes (README's table); service_name, description and timeout_seconds go with all
const KINDS = {
  'docker/pull': ['image_name'],
  'docker/build': ['image_name', 'dockerfile', 'repo_url', 'ref', 'dockerfile_path'],
  'docker/create': ['image_name'],
  'standalone/git-clone': ['repo_url', 'ref', 'executable'],
  'standalone/git-build': ['repo_url', 'ref', 'build_command', 'executable'],
  'standalone/validate': ['executable', 'probe_args'],
  'standalone/upload': ['session_id', 'probe_args'],
};
const LABELS = {
  image_name: 'Image', dockerfile: 'Dockerfile (text)', repo_url: 'Repository URL', ref: 'Branch, tag or commit',
  dockerfile_path: 'Dockerfile path in the repository', executable: 'Executable', build_command: 'Build command (JSON array)',
  probe_args: 'Probe arguments (JSON array)', session_id: 'Upload session id',
};
const ARRAYS = new Set(['build_command', 'probe_args']);
const FRAMES = ['operation.start', 'operation.progress', 'operation.complete', 'operation.error'];
const TERMINAL = new Set(['completed', 'error']);
const LOG_MAX = 200_000;

/** {el, off}: the panel, and what to call when its page goes away. */
export function operationsPanel({ serviceName } = {}) {
  const list = h('div', { id: 'operations-list' });
  const rows = new Map(); // operation_id → row
  const el = h('div', { class: 'operations' }, canWrite() ? startForm(serviceName, o => upsert(o)) : null, list);

  const mine = o => !serviceName || o.service_name === serviceName;
  const upsert = o => {
    if (!mine(o)) return;
    let row = rows.get(o.operation_id);
    if (!row) {
      row = newRow(o);
      rows.set(o.operation_id, row);
      list.querySelector('p.empty')?.remove();
      list.prepend(row.el);
    }
    row.update(o);
  };
  const byFrame = family => m => {
    const p = m.payload || {};
    const row = rows.get(p.operation_id);
    const type = m.type.slice(family.length + 1);
    if (!row) {
      if (type === 'operation.start') upsert({ operation_id: p.operation_id, family, operation_type: p.operation_type,
        service_name: p.service_name, status: 'running', percentage: 0, message: p.message, steps: [] });
      return;
    }
    if (type === 'operation.progress') row.update({ percentage: p.percentage, message: p.message, step: p.step, status: p.step === 'queued' ? 'queued' : 'running' }, p.stream);
    if (type === 'operation.complete') row.update({ status: 'completed', percentage: 100, message: `Service ${p.service_name} is ${p.service?.status || 'ACTIVE'}`, service_id: p.service_id });
    if (type === 'operation.error') row.update({ status: 'error', message: p.error, code: p.code });
  };
  const offs = [];
  for (const family of ['docker', 'standalone']) {
    const fn = byFrame(family);
    FRAMES.forEach(t => offs.push(on('node', `${family}.${t}`, fn)));
  }
  // a Docker build's lines come as docker.build.output, named by service (and image), not by operation
  offs.push(on('node', 'docker.build.output', m => {
    const p = m.payload || {};
    for (const row of rows.values()) {
      if (row.op.service_name === p.service_name && !TERMINAL.has(row.op.status)) row.append((p.stream || '') + (p.error ? `${p.error}\n` : ''));
    }
  }));

  get('/api/operations?limit=50').then(r => {
    const ops = r.operations.filter(mine);
    if (!ops.length && !rows.size) list.append(h('p', { class: 'empty' }, 'No operations yet.'));
    ops.reverse().forEach(upsert);
  }).catch(e => list.append(h('p', { class: 'form-error' }, `Operations could not be listed: ${e.message}`)));
  return { el, off: () => offs.forEach(o => o()) };
}

function newRow(first) {
  const bar = h('progress', { max: 100, value: 0, 'aria-label': `Progress of ${first.operation_id}` });
  const pct = h('span', { class: 'pct' });
  const status = h('span', { class: 'status' });
  const message = h('span', { class: 'message' });
  const log = h('pre', { class: 'log', hidden: true, tabindex: '0', 'aria-label': `Log of ${first.operation_id}` });
  const cancel = h('button', { type: 'button', class: 'danger cancel', hidden: true }, 'Cancel');
  const logButton = h('button', { type: 'button', class: 'show-log', 'aria-expanded': 'false' }, 'Log');
  const row = {
    op: { ...first },
    el: h('div', { class: 'operation', dataset: { operation: first.operation_id } },
      h('div', { class: 'operation-head' },
        h('strong', {}, `${first.family}/${first.operation_type}`), ' ', h('span', { class: 'service' }, first.service_name), ' ', status,
        h('span', { class: 'row-actions' }, logButton, cancel)),
      h('div', { class: 'operation-progress' }, bar, pct), message, log),
    update(change, stream) {
      Object.assign(row.op, Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined)));
      const o = row.op;
      row.el.dataset.status = o.status;
      clear(status).append(badge(o.status));
      bar.value = Number(o.percentage || 0);
      pct.textContent = `${Math.round(o.percentage || 0)} %`;
      message.textContent = (o.code ? `${o.code}: ` : '') + (o.message || '');
      cancel.hidden = TERMINAL.has(o.status) || !canWrite();
      if (stream) row.append(stream);
      if (TERMINAL.has(o.status) && !log.hidden) load();
    },
    append(text) {
      if (log.hidden || !text) return;
      log.textContent = (log.textContent + text).slice(-LOG_MAX);
      log.scrollTop = log.scrollHeight;
    },
  };
  const load = async () => {
    try {
      const full = await get(`/api/operations/${encodeURIComponent(first.operation_id)}`);
      log.textContent = (full.log_truncated ? '[… the middle of the log was left out …]\n' : '') + (full.log || '');
      log.scrollTop = log.scrollHeight;
    } catch (e) { log.textContent = `The log could not be loaded: ${e.message}`; }
  };
  logButton.addEventListener('click', () => {
    log.hidden = !log.hidden;
    logButton.setAttribute('aria-expanded', String(!log.hidden));
    if (!log.hidden) load();
  });
  cancel.addEventListener('click', async () => {
    try { await post(`/api/operations/${encodeURIComponent(first.operation_id)}/cancel`); } catch (e) { toast(e.message, 'error'); }
  });
  if (first.created_at) row.el.title = `Started ${fmtTime(first.created_at)} by ${first.created_by || '?'}`;
  return row;
}

function startForm(serviceName, started) {
  const kind = select('kind', Object.keys(KINDS), 'docker/pull', { 'aria-label': 'Kind of operation' });
  const optional = Object.keys(LABELS).map(name => field(LABELS[name],
    name === 'dockerfile' ? h('textarea', { name, rows: 4, placeholder: 'FROM alpine:3.20' }) : input(name, { autocomplete: 'off' })));
  const form = h('form', { class: 'card operation-form', id: 'operation-form', novalidate: true },
    h('h3', {}, 'Start an operation'),
    field('Kind', kind),
    field('Service name', input('service_name', { value: serviceName || '', required: true, autocomplete: 'off' })),
    ...optional,
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Start')));
  const show = () => {
    const wanted = new Set(KINDS[kind.value]);
    optional.forEach(f => { f.hidden = !wanted.has(f.dataset.field); });
  };
  kind.addEventListener('change', show);
  show();
  form.addEventListener('submit', async e => {
    e.preventDefault();
    clearErrors(form);
    const body = { service_name: form.elements.service_name.value.trim() };
    const fields = {};
    for (const name of KINDS[kind.value]) {
      const v = form.elements[name].value.trim();
      if (!v) continue;
      if (ARRAYS.has(name)) {
        try {
          const parsed = JSON.parse(v);
          if (!Array.isArray(parsed) || !parsed.every(x => typeof x === 'string')) throw new Error();
          body[name] = parsed;
        } catch { fields[name] = 'must be a JSON array of strings'; }
      } else body[name] = v;
    }
    if (Object.keys(fields).length) return showErrors(form, { fields });
    try {
      started(await post(`/api/operations/${kind.value}`, body));
      toast(`Operation for ${body.service_name} started`, 'success');
    } catch (err) { showErrors(form, err); }
  });
  return form;
}

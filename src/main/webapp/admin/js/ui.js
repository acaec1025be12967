// Small DOM helpers: no framework, nothing to build. Text always goes in as text (never innerHTML).

/** h('div', {class: 'x', onclick: fn}, 'text', child, [more]) */
export function h(tag, attrs = {}, ...children) {
  const el = tag.includes(':') ? document.createElementNS('http://www.w3.org/2000/svg', tag.split(':')[1]) : document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'value' && 'value' in el && !(el instanceof SVGElement)) el.value = v;
    else if (k === 'checked' || k === 'selected' || k === 'disabled') el[k] = !!v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.firstChild.remove();
  return el;
}

let ids = 0;
export function uid(prefix = 'f') {
  return `${prefix}-${++ids}`;
}

/** A labelled form field: the label, the control, a slot for its error. */
export function field(label, control, hint) {
  const id = control.id || uid();
  control.id = id;
  const err = h('p', { class: 'field-error', id: `${id}-error`, hidden: true });
  return h('div', { class: 'field', 'data-field': control.name || '' },
    h('label', { for: id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null, err);
}

export function input(name, attrs = {}) {
  return h('input', { name, ...attrs });
}

export function select(name, options, value, attrs = {}) {
  return h('select', { name, ...attrs }, options.map(o => {
    const [v, l] = Array.isArray(o) ? o : [o, o];
    return h('option', { value: v, selected: String(v) === String(value) }, l);
  }));
}

/** Shows {"fields": {...}} errors at their fields; what has no field goes to the form's summary. */
export function showErrors(form, error) {
  clearErrors(form);
  const fields = error?.fields || {};
  const rest = [];
  for (const [key, problem] of Object.entries(fields)) {
    const slot = fieldSlot(form, key);
    if (slot) {
      const err = slot.querySelector('.field-error');
      const control = slot.querySelector('input,select,textarea');
      err.textContent = problem;
      err.hidden = false;
      if (control) {
        control.setAttribute('aria-invalid', 'true');
        control.setAttribute('aria-describedby', err.id);
      }
    } else rest.push(`${key}: ${problem}`);
  }
  const summary = form.querySelector('.form-error');
  if (summary && (rest.length || !Object.keys(fields).length)) {
    summary.textContent = rest.length ? rest.join('; ') : (error?.message || 'Failed');
    summary.hidden = false;
  }
  const first = form.querySelector('[aria-invalid="true"]');
  (first || summary)?.focus?.();
}

function fieldSlot(form, key) {
  let k = key;
  while (k) {
    const slot = form.querySelector(`.field[data-field="${CSS.escape(k)}"]`);
    if (slot) return slot;
    k = k.includes('.') ? k.slice(0, k.lastIndexOf('.')) : (k.includes('[') ? k.slice(0, k.indexOf('[')) : '');
  }
  return null;
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(e => { e.hidden = true; e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(e => { e.removeAttribute('aria-invalid'); e.removeAttribute('aria-describedby'); });
  const summary = form.querySelector('.form-error');
  if (summary) { summary.hidden = true; summary.textContent = ''; }
}

export function formError() {
  return h('p', { class: 'form-error', role: 'alert', tabindex: '-1', hidden: true });
}

export function toast(message, kind = 'info') {
  const box = document.getElementById('toasts');
  const t = h('div', { class: `toast ${kind}` }, message);
  box.append(t);
  setTimeout(() => t.remove(), 6000);
}

export function table(columns, rows, { empty = 'Nothing here yet.', caption } = {}) {
  if (!rows.length) return h('p', { class: 'empty' }, empty);
  return h('div', { class: 'table-wrap' }, h('table', {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, columns.map(c => h('th', { scope: 'col' }, c.label)))),
    h('tbody', {}, rows.map(r => h('tr', { dataset: r.__data || {} }, columns.map(c => h('td', { 'data-label': c.label }, c.value(r))))))));
}

export function section(title, ...children) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), ...children);
}

export function fmtBytes(n) {
  if (n === null || n === undefined || isNaN(n)) return '–';
  const u = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0; let v = Number(n);
  while (v >= 1024 && i < u.length - 1) { v /= 1024; i++; }
  return `${v.toFixed(i && v < 10 ? 1 : 0)} ${u[i]}`;
}

export function fmtDuration(s) {
  s = Math.floor(s);
  const d = Math.floor(s / 86400), hh = Math.floor(s % 86400 / 3600), m = Math.floor(s % 3600 / 60);
  return d ? `${d}d ${hh}h` : hh ? `${hh}h ${m}m` : `${m}m ${s % 60}s`;
}

export function fmtTime(t) {
  if (t === null || t === undefined || t === '') return '–';
  const d = typeof t === 'number' ? new Date(t < 1e12 ? t * 1000 : t) : new Date(t);
  return isNaN(d) ? String(t) : d.toLocaleString();
}

export function badge(text, kind) {
  return h('span', { class: `badge ${kind || String(text).toLowerCase()}` }, text);
}

export function confirmAction(message) {
  return window.confirm(message);
}

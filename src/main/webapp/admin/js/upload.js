// Chunked uploads over /api/ws (spec/node.md file.upload.*): a few chunks in flight, pause and resume, and
// resume after a page reload: the session ids and the file's fingerprint are kept in localStorage; after a
// reload the user picks the same file again and only the chunks the server lacks (GET /api/uploads) are sent.
import { sockets, on } from './live.js';
import { get } from './api.js';

const KEY = 'sb.uploads';
const IN_FLIGHT = 2;
const listeners = new Set();
const active = new Map(); // session_id -> Upload

export function stored() {
  try { return JSON.parse(localStorage.getItem(KEY) || '{}'); } catch { return {}; }
}

function store(id, meta) {
  const all = stored();
  if (meta) all[id] = meta; else delete all[id];
  localStorage.setItem(KEY, JSON.stringify(all));
}

export function onChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed(u) {
  listeners.forEach(l => l(u));
}

export function fingerprint(file) {
  return `${file.name}|${file.size}|${file.lastModified}`;
}

class Upload {
  constructor(file, meta) {
    this.file = file;
    this.meta = meta; // {sessionId, serviceId, filePath, filename, size, chunkSize, totalChunks, fingerprint}
    this.pending = [];
    this.inFlight = 0;
    this.state = 'uploading';
    this.percentage = 0;
    this.error = null;
  }

  async pump() {
    while (this.state === 'uploading' && this.inFlight < IN_FLIGHT && this.pending.length) {
      const index = this.pending.shift();
      this.inFlight++;
      const start = index * this.meta.chunkSize;
      const end = index === this.meta.totalChunks - 1 ? this.meta.size : start + this.meta.chunkSize;
      const data = await base64(this.file.slice(start, end));
      if (this.state !== 'uploading') { this.pending.unshift(index); this.inFlight--; return; }
      if (!sockets.node.send({ type: 'file.upload.chunk', payload: { session_id: this.meta.sessionId, chunk_index: index, data }, timestamp: now() })) {
        this.pending.unshift(index);
        this.inFlight--;
        this.fail('The connection to the server is down; resume when it is back');
        return;
      }
    }
  }

  progress(p) {
    this.percentage = p.percentage ?? this.percentage;
    this.chunks = p.chunks_received;
    this.bytes = p.bytes_uploaded;
    if (this.inFlight > 0) this.inFlight--;
    changed(this);
    this.pump();
  }

  pause() {
    if (this.state !== 'uploading') return;
    this.state = 'paused';
    sockets.node.send({ type: 'file.upload.pause', payload: { session_id: this.meta.sessionId }, timestamp: now() });
    changed(this);
  }

  async resume() {
    this.state = 'resuming';
    this.error = null;
    changed(this);
    sockets.node.send({ type: 'file.upload.resume', payload: { session_id: this.meta.sessionId }, timestamp: now() });
    // what the server already has decides what is sent
    const open = (await get('/api/uploads')).uploads.find(u => u.session_id === this.meta.sessionId);
    if (!open) return this.fail('The server no longer has this upload session (expired or cancelled)');
    const bits = Uint8Array.from(atob(open.received), c => c.charCodeAt(0));
    this.pending = [];
    for (let i = 0; i < this.meta.totalChunks; i++) if (!(bits[i >> 3] & (1 << (i & 7)))) this.pending.push(i);
    this.inFlight = 0;
    this.percentage = open.percentage;
    this.state = 'uploading';
    changed(this);
    this.pump();
  }

  fail(message) {
    this.state = 'failed';
    this.error = message;
    changed(this);
  }
}

on('node', 'file.upload.progress', m => {
  const u = active.get(m.payload?.session_id);
  if (u) u.progress(m.payload);
});
on('node', 'file.upload.complete', m => {
  const u = active.get(m.payload?.session_id);
  if (!u) return;
  u.state = 'completed';
  u.percentage = 100;
  u.hash = m.payload.file_hash;
  store(u.meta.sessionId, null);
  changed(u);
});
on('node', 'file.upload.error', m => {
  const u = active.get(m.payload?.session_id);
  if (!u) return;
  if (m.payload.code === 'SESSION_PAUSED') { if (u.inFlight > 0) u.inFlight--; return; }
  if (u.inFlight > 0) u.inFlight--;
  u.fail(`${m.payload.error} (${m.payload.code})`);
});

let starting = Promise.resolve();

/** Starts an upload; resolves with the Upload once the server gave it a session. */
export function start(file, serviceId, filePath, chunkSize) {
  const run = starting.then(() => new Promise((resolve, reject) => {
    const totalChunks = Math.max(1, Math.ceil(file.size / chunkSize));
    const group = `console-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
    const timer = setTimeout(() => { off(); offErr(); reject(new Error('The server did not answer the upload start')); }, 15000);
    // the first progress for a session we do not know answers our start: starts are one at a time
    const off = on('node', 'file.upload.progress', m => {
      const id = m.payload?.session_id;
      if (!id || active.has(id)) return;
      clearTimeout(timer); off(); offErr();
      const meta = { sessionId: id, serviceId, filePath, filename: file.name, size: file.size, chunkSize, totalChunks, fingerprint: fingerprint(file) };
      store(id, meta);
      const u = new Upload(file, meta);
      u.pending = Array.from({ length: totalChunks }, (_, i) => i);
      active.set(id, u);
      changed(u);
      u.pump();
      resolve(u);
    });
    const offErr = on('node', 'file.upload.error', m => {
      if (m.payload?.session_id && active.has(m.payload.session_id)) return;
      clearTimeout(timer); off(); offErr();
      reject(new Error(m.payload?.error || 'Upload refused'));
    });
    const sent = sockets.node.send({ type: 'file.upload.start', payload: {
      service_id: Number(serviceId), upload_group_id: group, filename: file.name, file_path: filePath,
      file_index: 0, total_files: 1, total_size: file.size, total_chunks: totalChunks, chunk_size: chunkSize,
    }, timestamp: now() });
    if (!sent) { clearTimeout(timer); off(); offErr(); reject(new Error('The connection to the server is down')); }
  }));
  starting = run.catch(() => {});
  return run;
}

/** Continues a session left by an earlier page with the same file picked again. */
export function reattach(sessionId, file) {
  const meta = stored()[sessionId];
  if (!meta) throw new Error('Unknown upload');
  const running = active.get(sessionId);
  if (running && running.state !== 'failed') return running;
  if (meta.fingerprint !== fingerprint(file)) throw new Error(`That is not the same file (expected ${meta.filename}, ${meta.size} bytes)`);
  const u = new Upload(file, meta);
  u.state = 'paused';
  active.set(sessionId, u);
  u.resume();
  return u;
}

export function forget(sessionId) {
  store(sessionId, null);
  active.delete(sessionId);
}

export function uploads() {
  return [...active.values()];
}

function now() {
  return Math.floor(Date.now() / 1000);
}

function base64(blob) {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).slice(String(r.result).indexOf(',') + 1));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(blob);
  });
}

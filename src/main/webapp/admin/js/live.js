// The server's own WebSocket dialects, kept open while signed in: reconnects with exponential backoff (0.5 s
// doubling to 15 s, with jitter) when the server goes away, and tells every page what arrived over a small bus.
import { session } from './session.js';

const bus = new Map();

/** on('node', 'services.updated', fn) / on('rtc', 'Notification', fn); '*' = every message of the socket. */
export function on(socket, type, fn) {
  const key = `${socket}:${type}`;
  if (!bus.has(key)) bus.set(key, new Set());
  bus.get(key).add(fn);
  return () => bus.get(key).delete(fn);
}

function emit(socket, type, message) {
  for (const key of [`${socket}:${type}`, `${socket}:*`]) {
    bus.get(key)?.forEach(fn => { try { fn(message); } catch (e) { console.warn('handler failed', e); } });
  }
}

export class LiveSocket {
  /** @param name bus name; @param path dialect path; @param typeOf(message) its type; @param onOpen(socket) */
  constructor(name, path, { typeOf, onOpen, query = '' } = {}) {
    Object.assign(this, { name, path, typeOf, onOpen, query });
    this.attempt = 0;
    this.stopped = true;
    this.state = 'down';
  }

  start() {
    this.stopped = false;
    this.connect();
    return this;
  }

  connect() {
    const s = session();
    if (this.stopped || !s) return;
    const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${this.path}${this.query}`;
    const ws = new WebSocket(url, [`access_token.${s.token}`]);
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.setState('up');
      this.onOpen?.(this);
    };
    ws.onmessage = e => {
      if (typeof e.data !== 'string') return;
      let m;
      try { m = JSON.parse(e.data); } catch { return; }
      emit(this.name, this.typeOf(m), m);
    };
    ws.onclose = e => {
      if (this.ws !== ws) return;
      this.ws = null;
      this.setState('down', e.code);
      if (this.stopped) return;
      const delay = Math.min(15000, 500 * 2 ** this.attempt++) * (0.75 + Math.random() * 0.5);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  send(obj) {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) {
      this.ws.send(JSON.stringify(obj));
      return true;
    }
    return false;
  }

  setState(state, code) {
    this.state = state;
    emit(this.name, '@state', { state, code });
    emit('live', 'state', { socket: this.name, state, code });
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.ws) {
      const ws = this.ws;
      this.ws = null;
      ws.close(1000, 'Signed out');
      this.setState('down');
    }
  }
}

export const sockets = {
  node: new LiveSocket('node', '/api/ws', { typeOf: m => m.type }),
  rtc: new LiveSocket('rtc', '/rtc/ws', {
    typeOf: m => m.type,
    onOpen: s => s.send({ type: 'Subscribe', data: { topics: ['presence.#'] } }),
  }),
  vault: new LiveSocket('vault', '/ws', {
    // an alert is a *_alert event on the alerts topic; the subscribed reply names that topic too
    typeOf: m => (m.topic === 'alerts' && /_alert$/.test(m.type || '') ? 'alert' : m.type),
    onOpen: s => { s.send({ type: 'subscribe', topic: 'alerts' }); s.send({ type: 'subscribe', topic: 'file_operations' }); },
  }),
  control: new LiveSocket('control', '/control/ws', { typeOf: m => m.event }),
};

export function startAll() {
  Object.values(sockets).forEach(s => s.start());
}

export function stopAll() {
  Object.values(sockets).forEach(s => s.stop());
}

/** 'up' when every socket is open. */
export function overallState() {
  return Object.values(sockets).every(s => s.state === 'up') ? 'up' : 'down';
}

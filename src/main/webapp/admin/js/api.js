// REST calls with the session's bearer token; errors become ApiError with the server's message and fields.
import { session, signOut } from './session.js';

export class ApiError extends Error {
  constructor(status, message, fields) {
    super(message);
    this.status = status;
    this.fields = fields;
  }
}

export async function api(method, path, body, { raw = false, signal } = {}) {
  const headers = {};
  const s = session();
  if (s) headers.Authorization = `Bearer ${s.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'The server cannot be reached');
  }
  if (response.status === 401 && s && !path.endsWith('/auth/login')) {
    signOut('Your session has ended; sign in again.');
    throw new ApiError(401, 'Signed out');
  }
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    let fields;
    try {
      const e = await response.json();
      message = e.error || message;
      fields = e.fields;
    } catch { /* not JSON */ }
    throw new ApiError(response.status, message, fields);
  }
  if (raw) return response;
  if (response.status === 204 || response.status === 202 && response.headers.get('Content-Length') === '0') return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (p, o) => api('GET', p, undefined, o);
export const post = (p, b) => api('POST', p, b);
export const put = (p, b) => api('PUT', p, b);
export const del = p => api('DELETE', p);

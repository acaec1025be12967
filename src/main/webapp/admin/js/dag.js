// A workflow's jobs as a DAG in SVG: columns by depth (longest path from a root), edges upstream -> downstream,
// each node coloured by its status when an execution is shown.
import { h } from './ui.js';

const W = 150, H = 44, GX = 60, GY = 22, PAD = 12;

/** @param jobs [{name}] @param deps {job: [upstream | {job, pipe}]} @param statuses {jobName: status} */
export function dag(jobs, deps, statuses = {}) {
  const names = jobs.map(j => j.name);
  const ups = Object.fromEntries(names.map(n => [n, (deps[n] || []).map(d => (typeof d === 'string' ? { job: d } : d)).filter(d => names.includes(d.job))]));
  const depth = {};
  const visiting = new Set();
  const level = n => {
    if (depth[n] !== undefined) return depth[n];
    if (visiting.has(n)) return 0; // a cycle: the server refuses it; draw something anyway
    visiting.add(n);
    depth[n] = ups[n].length ? 1 + Math.max(...ups[n].map(d => level(d.job))) : 0;
    visiting.delete(n);
    return depth[n];
  };
  names.forEach(level);
  const columns = [];
  names.forEach(n => (columns[depth[n]] ||= []).push(n));
  const pos = {};
  columns.forEach((col, x) => col.forEach((n, y) => { pos[n] = { x: PAD + x * (W + GX), y: PAD + y * (H + GY) }; }));
  const width = PAD * 2 + Math.max(1, columns.length) * (W + GX) - GX;
  const height = PAD * 2 + Math.max(1, ...columns.map(c => c.length)) * (H + GY) - GY;
  const edges = names.flatMap(n => ups[n].map(d => {
    const a = pos[d.job], b = pos[n];
    const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
    const mx = (x1 + x2) / 2;
    return h('svg:path', { d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2 - 4},${y2}`, class: `edge${d.pipe ? ' pipe' : ''}`, 'marker-end': 'url(#arrow)' });
  }));
  const nodes = names.map(n => {
    const s = statuses[n] || 'none';
    return h('svg:g', { class: `node ${s}`, transform: `translate(${pos[n].x},${pos[n].y})`, 'data-job': n, 'data-status': s },
      h('svg:rect', { width: W, height: H, rx: 6 }),
      h('svg:text', { x: W / 2, y: 18, 'text-anchor': 'middle', class: 'name' }, n.length > 20 ? n.slice(0, 19) + '…' : n),
      h('svg:text', { x: W / 2, y: 34, 'text-anchor': 'middle', class: 'status' }, s === 'none' ? '' : s));
  });
  return h('svg:svg', { class: 'dag', viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
    'aria-label': `Workflow graph: ${names.map(n => `${n}${statuses[n] ? ' ' + statuses[n] : ''}${ups[n].length ? ' after ' + ups[n].map(d => d.job).join(', ') : ''}`).join('; ')}` },
    h('svg:defs', {}, h('svg:marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 8, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' },
      h('svg:path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
    edges, nodes);
}

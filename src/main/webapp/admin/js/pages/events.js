// Events: a live tail of /control/ws (job:*, instance:*, agent:*, system:error) with filters; the newest on top,
// at most 500 kept.
import { h, clear, field, input, select } from '../ui.js';
import { on } from '../live.js';

const MAX = 500;
const tail = [];
on('control', '*', m => {
  tail.unshift({ at: new Date(), event: m.event, data: m.data });
  if (tail.length > MAX) tail.pop();
});

export function mount(el) {
  const kind = select('kind', [['', 'all'], ['job:', 'jobs'], ['instance:', 'instances'], ['agent:', 'agents'], ['system:', 'system errors']], '');
  const text = input('text', { type: 'search', placeholder: 'text in the event' });
  const hideBeats = h('input', { type: 'checkbox', name: 'beats', id: 'hide-beats', checked: true });
  const paused = h('input', { type: 'checkbox', name: 'paused', id: 'pause-tail' });
  const list = h('ol', { class: 'tail', id: 'event-tail', 'aria-live': 'off' });
  el.append(h('h1', {}, 'Control events'),
    h('div', { class: 'toolbar' }, field('Kind', kind), field('Contains', text),
      h('div', { class: 'field check' }, hideBeats, h('label', { for: 'hide-beats' }, 'Hide heartbeats')),
      h('div', { class: 'field check' }, paused, h('label', { for: 'pause-tail' }, 'Pause'))),
    list);
  const draw = () => {
    if (paused.checked) return;
    const t = text.value.toLowerCase();
    const rows = tail.filter(e => (!kind.value || e.event.startsWith(kind.value))
      && !(hideBeats.checked && e.event === 'agent:heartbeat')
      && (!t || JSON.stringify(e).toLowerCase().includes(t))).slice(0, 200);
    clear(list).append(...(rows.length ? rows.map(e => h('li', { dataset: { event: e.event } },
      h('time', {}, e.at.toLocaleTimeString()), ' ', h('strong', {}, e.event), ' ', h('code', {}, JSON.stringify(e.data))))
      : [h('li', { class: 'empty' }, 'No events yet (they appear as they happen).')]));
  };
  [kind, text, hideBeats, paused].forEach(c => c.addEventListener('input', draw));
  draw();
  return on('control', '*', draw);
}

// Workflows: the list (live from workflows.updated), an editor for jobs and dependencies with the graph drawn
// as it is edited, executions with each job's status live on the graph (execution.updated, job.status.updated),
// start and cancel, each job's output and error.
import { h, clear, field, input, select, formError, showErrors, clearErrors, table, section, fmtTime, badge, toast } from '../ui.js';
import { get, post, put, del } from '../api.js';
import { on } from '../live.js';
import { canWrite } from '../session.js';
import { dag } from '../dag.js';

export async function mount(el, args) {
  if (args[0] === 'new') return editor(el, null);
  if (args[0] && args[1] === 'edit') return editor(el, await get(`/api/workflows/${encodeURIComponent(args[0])}`));
  if (args[0]) return detail(el, args[0], args[1] === 'executions' ? args[2] : null);
  return list(el);
}

function list(el) {
  const box = h('div', { id: 'workflows-list' });
  el.append(h('div', { class: 'title-row' }, h('h1', {}, 'Workflows'),
    canWrite() ? h('a', { class: 'button primary', href: '#/workflows/new' }, 'New workflow') : null), box);
  const draw = wfs => clear(box).append(table([
    { label: 'Name', value: w => h('a', { href: `#/workflows/${w.id}` }, w.name) },
    { label: 'Jobs', value: w => w.job_count ?? (w.config?.jobs || w.jobs || []).length },
    { label: 'Latest execution', value: w => badge(w.status || 'idle') },
    { label: 'Description', value: w => w.description || '' },
  ], wfs, { empty: 'No workflows yet.' }));
  get('/api/workflows').then(r => draw(r.workflows));
  return on('node', 'workflows.updated', () => get('/api/workflows').then(r => draw(r.workflows)));
}

function editor(el, wf) {
  const jobs = (wf?.jobs || [{ name: 'first', service_id: '', input: '', config: {} }]).map(j => ({ ...j }));
  const deps = JSON.parse(JSON.stringify(wf?.dependencies || {}));
  const jobsBox = h('div', { id: 'jobs' });
  const graph = h('div', { class: 'graph', id: 'editor-graph' });
  let services = [];
  const form = h('form', { class: 'card', id: 'workflow-form', novalidate: true },
    field('Name', input('name', { value: wf?.name || '', required: true, autocomplete: 'off' })),
    field('Description', input('description', { value: wf?.description || '' })),
    h('h2', {}, 'Jobs'), jobsBox,
    h('button', { type: 'button', id: 'add-job', onclick: () => { sync(); jobs.push({ name: `job${jobs.length + 1}`, service_id: '', input: '', config: {} }); drawJobs(); } }, 'Add job'),
    h('h2', {}, 'Graph'), graph,
    formError(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, wf ? 'Save' : 'Create'),
      h('a', { class: 'button', href: wf ? `#/workflows/${wf.id}` : '#/workflows' }, 'Cancel')));

  function depText(name) {
    return (deps[name] || []).map(d => (typeof d === 'string' ? d : (d.pipe ? `>${d.job}` : d.job))).join(', ');
  }
  function sync() {
    const next = {};
    jobsBox.querySelectorAll('fieldset.job').forEach((fs, i) => {
      const j = jobs[i];
      j.name = fs.querySelector('[data-k=name]').value.trim();
      j.service_id = fs.querySelector('[data-k=service]').value;
      j.input = fs.querySelector('[data-k=input]').value;
      try { j.config = JSON.parse(fs.querySelector('[data-k=config]').value || '{}'); } catch { j.configText = fs.querySelector('[data-k=config]').value; }
      const list = fs.querySelector('[data-k=deps]').value.split(',').map(s => s.trim()).filter(Boolean)
        .map(s => (s.startsWith('>') ? { job: s.slice(1).trim(), pipe: true } : s));
      if (list.length) next[j.name] = list;
    });
    Object.keys(deps).forEach(k => delete deps[k]);
    Object.assign(deps, next);
    clear(graph).append(dag(jobs.filter(j => j.name), deps));
  }
  function drawJobs() {
    clear(jobsBox);
    jobs.forEach((j, i) => {
      const fs = h('fieldset', { class: 'job' }, h('legend', {}, `Job ${i + 1}`),
        field('Job name', input(`jobs[${i}].name`, { value: j.name, dataset: { k: 'name' } })),
        field('Service', select(`jobs[${i}].service`, [['', 'choose…'], ...services.map(s => [s.id, `${s.name} (${s.type})`])], j.service_id, { dataset: { k: 'service' } })),
        field('Input (STDIN)', h('textarea', { name: `jobs[${i}].input`, rows: 1, dataset: { k: 'input' } }, j.input || '')),
        field('Config (JSON object)', input(`jobs[${i}].config`, { value: JSON.stringify(j.config || {}), dataset: { k: 'config' } })),
        field('Depends on', input(`dependencies.${j.name}`, { value: depText(j.name), dataset: { k: 'deps' }, placeholder: 'a, >b' }),
          'Comma separated job names; ">name" pipes that job\'s output to this one\'s input.'),
        h('button', { type: 'button', class: 'danger', onclick: () => { sync(); jobs.splice(i, 1); drawJobs(); } }, `Remove job ${i + 1}`));
      fs.addEventListener('change', sync);
      jobsBox.append(fs);
    });
    sync();
  }
  form.addEventListener('submit', async e => {
    e.preventDefault();
    sync();
    clearErrors(form);
    const fields = {};
    jobs.forEach((j, i) => { if (j.configText !== undefined) { fields[`jobs[${i}].config`] = 'must be a JSON object'; delete j.configText; } });
    if (Object.keys(fields).length) return showErrors(form, { fields });
    const body = { name: form.elements.name.value.trim(), description: form.elements.description.value,
      jobs: jobs.map(j => ({ name: j.name, service: j.service_id === '' ? '' : Number(j.service_id), input: j.input || '', config: j.config || {} })), dependencies: deps };
    try {
      const saved = wf ? await put(`/api/workflows/${wf.id}`, body) : await post('/api/workflows', body);
      toast(`Workflow ${saved.name} saved`, 'success');
      location.hash = `#/workflows/${saved.id}`;
    } catch (err) { showErrors(form, err); }
  });
  el.append(h('h1', {}, wf ? `Edit ${wf.name}` : 'New workflow'), form);
  drawJobs();
  get('/api/services').then(r => { services = r.services; sync(); drawJobs(); });
}

async function detail(el, id, executionId) {
  const wf = await get(`/api/workflows/${encodeURIComponent(id)}`);
  const write = canWrite();
  const graph = h('div', { class: 'graph', id: 'execution-graph' });
  const execBox = h('div', { id: 'executions' });
  const jobsBox = h('div', { id: 'job-results' });
  const heading = h('h2', { id: 'execution-heading' }, 'Graph');
  const startBtn = h('button', { type: 'button', class: 'primary', id: 'start-execution', disabled: !write, title: write ? null : 'Needs the role admin or operator' }, 'Start execution');
  const cancelBtn = h('button', { type: 'button', class: 'danger', id: 'cancel-execution', hidden: true, disabled: !write }, 'Cancel execution');
  const delBtn = h('button', { type: 'button', class: 'danger', disabled: !write }, 'Delete workflow');
  let current = null; // {execution_id, status, jobs: {name: {status, output, error, exit_code}}}
  let executions = [];

  const drawGraph = () => {
    const statuses = current ? Object.fromEntries(Object.entries(current.jobs).map(([k, v]) => [k, v.status])) : {};
    clear(graph).append(dag(wf.jobs, wf.dependencies, statuses));
    heading.textContent = current ? `Execution ${current.execution_id}: ${current.status}` : 'Graph';
    graph.dataset.execution = current?.execution_id ?? '';
    graph.dataset.status = current?.status ?? '';
    cancelBtn.hidden = !current || !['pending', 'running'].includes(current.status);
  };
  const drawJobs = () => {
    clear(jobsBox);
    if (!current) return;
    jobsBox.append(table([
      { label: 'Job', value: j => j.name },
      { label: 'Status', value: j => badge(j.status) },
      { label: 'Exit code', value: j => j.exit_code ?? '–' },
      { label: 'Output', value: j => j.output ? h('pre', { class: 'output' }, j.output) : '' },
      { label: 'Error', value: j => j.error ? h('pre', { class: 'output error' }, j.error) : '' },
    ], Object.entries(current.jobs).map(([name, j]) => ({ name, ...j })), { empty: 'No jobs.' }));
  };
  const drawExecutions = () => clear(execBox).append(table([
    { label: 'Execution', value: e => h('a', { href: `#/workflows/${wf.id}/executions/${e.execution_id}` }, `#${e.execution_id}`) },
    { label: 'Status', value: e => badge(e.status) },
    { label: 'Started', value: e => fmtTime(e.started_at) },
    { label: 'Completed', value: e => fmtTime(e.completed_at) },
  ], executions, { empty: 'No executions yet.' }));
  const load = async execId => {
    const e = await get(`/api/executions/${execId}`);
    current = { execution_id: e.execution_id, status: e.status, jobs: Object.fromEntries((e.jobs || []).map(j => [j.job_name, j])) };
    drawGraph();
    drawJobs();
  };
  const refreshExecutions = async () => {
    executions = (await get(`/api/workflows/${wf.id}/executions`)).executions;
    drawExecutions();
  };

  startBtn.addEventListener('click', async () => {
    try {
      const e = await post(`/api/workflows/${wf.id}/executions`);
      location.hash = `#/workflows/${wf.id}/executions/${e.execution_id}`;
    } catch (err) { toast(err.message, 'error'); }
  });
  cancelBtn.addEventListener('click', async () => {
    try { await post(`/api/executions/${current.execution_id}/cancel`); } catch (err) { toast(err.message, 'error'); }
  });
  delBtn.addEventListener('click', async () => {
    if (delBtn.dataset.armed !== 'yes') { delBtn.dataset.armed = 'yes'; delBtn.textContent = 'Confirm delete'; return; }
    try { await del(`/api/workflows/${wf.id}`); location.hash = '#/workflows'; } catch (err) { toast(err.message, 'error'); }
  });

  el.append(h('div', { class: 'title-row' }, h('h1', {}, wf.name),
    write ? h('a', { class: 'button', href: `#/workflows/${wf.id}/edit` }, 'Edit') : null, startBtn, cancelBtn, delBtn),
    wf.description ? h('p', {}, wf.description) : '',
    h('section', { class: 'card' }, heading, graph),
    section('Jobs of this execution', jobsBox),
    section('Executions', execBox));
  drawGraph();
  await refreshExecutions();
  const pick = executionId || null;
  if (pick) await load(pick);

  const offs = [
    on('node', 'execution.updated', m => {
      const p = m.payload;
      if (p.workflow_id !== wf.id) return;
      if (current && p.execution_id === current.execution_id) {
        current.status = p.status;
        drawGraph();
        if (!['pending', 'running'].includes(p.status)) load(p.execution_id); // outputs and errors
      }
      refreshExecutions();
    }),
    on('node', 'job.status.updated', m => {
      const p = m.payload;
      if (!current || p.execution_id !== current.execution_id) return;
      current.jobs[p.job_name] = { ...(current.jobs[p.job_name] || {}), status: p.status };
      drawGraph();
      drawJobs();
    }),
  ];
  return () => offs.forEach(o => o());
}

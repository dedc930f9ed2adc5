// Executions of one or every STANDARD state machine, newest first, filtered by status, refreshed live.
import { call, all } from '../api.js';
import { h, link, route, arnName, formatDate, formatDuration, badge, table, card, replace, errorNotice } from '../ui.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];
const LIMIT = 100;
const REFRESH_MS = 2000;

export const EXECUTION_HEADERS = ['Name', 'State machine', 'Status', 'Started', 'Ended', 'Duration'];

/** Table rows for ExecutionListItems. */
export function executionRows(executions, withMachine = true) {
  return executions.map((e) => h('tr', { 'data-execution': e.executionArn, 'data-status': e.status },
      h('td', {}, link(route('execution', e.executionArn), e.name, { class: 'strong' })),
      withMachine ? h('td', {}, link(route('state-machine', e.stateMachineArn), arnName(e.stateMachineArn))) : null,
      h('td', {}, badge(e.status)),
      h('td', {}, formatDate(e.startDate)),
      h('td', {}, formatDate(e.stopDate)),
      h('td', {}, formatDuration(e.startDate, e.stopDate))));
}

export async function executionsPage(page) {
  const machines = (await all('ListStateMachines', {}, 'stateMachines')).filter((m) => m.type === 'STANDARD');
  machines.sort((a, b) => a.name.localeCompare(b.name));
  const selectedMachine = page.query.get('stateMachine') || '';
  const selectedStatus = page.query.get('status') || '';

  const machineSelect = h('select', { id: 'machine-filter', 'aria-label': 'State machine' },
      h('option', { value: '' }, 'All state machines'),
      machines.map((m) => h('option', { value: m.stateMachineArn, selected: m.stateMachineArn === selectedMachine }, m.name)));
  const statusSelect = h('select', { id: 'status-filter', 'aria-label': 'Status' },
      h('option', { value: '' }, 'Any status'),
      STATUSES.map((s) => h('option', { value: s, selected: s === selectedStatus }, s.replace(/_/g, ' '))));
  const live = h('input', { type: 'checkbox', id: 'live', checked: true });
  const updated = h('span', { class: 'muted', id: 'updated' });
  const navigate = () => {
    const query = new URLSearchParams();
    if (machineSelect.value) {
      query.set('stateMachine', machineSelect.value);
    }
    if (statusSelect.value) {
      query.set('status', statusSelect.value);
    }
    location.hash = '#/executions' + (query.size ? '?' + query : '');
  };
  machineSelect.addEventListener('change', navigate);
  statusSelect.addEventListener('change', navigate);

  page.root.append(h('header', { class: 'page-header' }, h('h1', {}, 'Executions'),
      h('div', { class: 'toolbar' }, machineSelect, statusSelect,
          h('label', { class: 'toggle' }, live, ' Live updates'), updated)));
  const box = h('div', {});
  page.root.append(card(null, box));

  const targets = selectedMachine ? [selectedMachine] : machines.map((m) => m.stateMachineArn);
  const load = async () => {
    const lists = await Promise.all(targets.map((arn) => call('ListExecutions', {
      stateMachineArn: arn, maxResults: LIMIT, ...(selectedStatus ? { statusFilter: selectedStatus } : {}),
    }).then((a) => a.executions || [])));
    const executions = lists.flat().sort((a, b) => b.startDate - a.startDate).slice(0, LIMIT);
    replace(box, table(EXECUTION_HEADERS, executionRows(executions), { id: 'executions' }));
    replace(updated, 'Updated ' + new Date().toLocaleTimeString());
  };
  try {
    await load();
  } catch (error) {
    replace(box, errorNotice(error));
  }
  page.poll(async () => {
    if (live.checked) {
      await load();
    }
  }, REFRESH_MS);
}

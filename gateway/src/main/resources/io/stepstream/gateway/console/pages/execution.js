// One execution: its graph coloured by the path taken, its events with input and output, stop and redrive.
import { call, all } from '../api.js';
import { renderGraph, parseDefinition } from '../graph.js';
import { foldHistory, stateNameOf, eventDetails } from '../history.js';
import { h, link, route, arnName, formatDate, formatDuration, badge, table, summary, card, replace, notice, errorNotice, jsonBlock, prettyJson } from '../ui.js';

const REFRESH_MS = 2000;
const REDRIVABLE = new Set(['FAILED', 'TIMED_OUT', 'ABORTED']);
const LEGEND = [['succeeded', 'Succeeded'], ['failed', 'Failed'], ['caught', 'Caught error'], ['running', 'In progress'],
  ['aborted', 'Aborted'], ['not-reached', 'Not reached']];

export async function executionPage(page) {
  const [arn] = page.params;
  const [execution, machine] = await Promise.all([
    call('DescribeExecution', { executionArn: arn }),
    call('DescribeStateMachineForExecution', { executionArn: arn }),
  ]);
  const parsed = parseDefinition(machine.definition);

  const title = h('h1', {}, execution.name);
  const actions = h('div', { class: 'header-actions' });
  page.root.append(h('header', { class: 'page-header' },
      h('div', { class: 'crumbs' }, link('/executions?' + new URLSearchParams({ stateMachine: execution.stateMachineArn }), 'Executions'),
          ' / ', link(route('state-machine', execution.stateMachineArn), arnName(execution.stateMachineArn)), ' /'),
      title, actions));
  const message = h('div', {});
  const overview = h('div', {});
  page.root.append(message, card(null, overview));

  const graph = h('div', { class: 'graph-box', id: 'graph' });
  const inspector = h('aside', { class: 'inspector', id: 'inspector' }, h('p', { class: 'muted' }, 'Select a state to see its input and output.'));
  const legend = h('div', { class: 'legend' }, LEGEND.map(([status, text]) => h('span', { class: 'legend-item status-' + status }, h('i', {}), text)));
  page.root.append(card('Graph', legend, h('div', { class: 'graph-and-inspector' }, graph, inspector)));
  const mapRuns = h('div', { id: 'map-runs' });
  const mapRunsCard = card('Map runs', mapRuns);
  mapRunsCard.hidden = true;
  page.root.append(mapRunsCard);
  const io = h('div', { class: 'columns' });
  page.root.append(io);
  const events = h('div', { id: 'events' });
  page.root.append(card('Events', events));

  let selected;
  let folded;
  let history = [];
  let drawnFor;
  let shownStatus;

  const showState = (name) => {
    selected = name;
    const state = folded?.states.get(name);
    for (const node of graph.querySelectorAll('.state.selected')) {
      node.classList.remove('selected');
    }
    graph.querySelector('[data-state="' + CSS.escape(name) + '"]')?.classList.add('selected');
    replace(inspector, h('h3', {}, name),
        state ? [
          h('div', {}, badge(state.status === 'caught' ? 'CAUGHT_ERROR' : state.status.toUpperCase()),
              state.entered > 1 ? h('span', { class: 'muted' }, ' entered ' + state.entered + ' times') : null),
          state.error ? h('p', {}, h('strong', {}, state.error), state.cause ? ': ' + state.cause : '') : null,
          h('h4', {}, 'Input'), state.input !== undefined ? jsonBlock(state.input) : h('p', { class: 'muted' }, '—'),
          h('h4', {}, 'Output'), state.output !== undefined ? jsonBlock(state.output) : h('p', { class: 'muted' }, '—'),
        ] : h('p', { class: 'muted' }, 'Not reached.'));
  };

  const refresh = async (current) => {
    history = await all('GetExecutionHistory', { executionArn: arn, maxResults: 1000 }, 'events', 100);
    folded = foldHistory(history, current.status);
    // Buttons and title change only with the status, so a refresh never swaps a button under the pointer.
    if (current.status !== shownStatus) {
      shownStatus = current.status;
      replace(title, current.name, ' ', badge(current.status));
      renderActions(actions, current, () => refreshAll());
    }
    renderOverview(overview, current);
    renderIo(io, current);
    // The graph is laid out again only when something it shows changed.
    const signature = current.status + ':' + history.length;
    if (parsed.definition && signature !== drawnFor) {
      drawnFor = signature;
      await renderGraph(graph, parsed.definition, {
        status: (name) => folded.states.get(name)?.status,
        taken: (from, to) => folded.taken.has(from + '->' + to),
        onSelect: showState,
      });
      if (selected) {
        showState(selected);
      }
    }
    renderEvents(events, history);
    await renderMapRuns(mapRunsCard, mapRuns, arn, history);
  };
  const refreshAll = async () => {
    const current = await call('DescribeExecution', { executionArn: arn });
    await refresh(current);
    return current;
  };

  if (parsed.error) {
    graph.append(notice('error', 'The definition is not JSON: ' + parsed.error.message));
  }
  const unfinished = (status) => status === 'RUNNING' || status === 'PENDING_REDRIVE';
  await refresh(execution);
  if (unfinished(execution.status)) {
    page.poll(async () => unfinished((await refreshAll()).status), REFRESH_MS);
  }

  function renderActions(box, current, after) {
    const buttons = [];
    if (current.status === 'RUNNING') {
      buttons.push(h('button', { class: 'button danger', id: 'stop', onclick: async () => {
        if (!confirm('Stop execution ' + current.name + '?')) {
          return;
        }
        await act(() => call('StopExecution', { executionArn: arn, error: 'Console.Stopped', cause: 'Stopped from the console' }),
            'Stop requested.', after);
      } }, 'Stop'));
    }
    if (REDRIVABLE.has(current.status)) {
      const redrivable = !current.redriveStatus || current.redriveStatus === 'REDRIVABLE';
      buttons.push(h('button', { class: 'button', id: 'redrive', disabled: !redrivable, title: current.redriveStatusReason,
        onclick: async () => {
          await act(() => call('RedriveExecution', { executionArn: arn }), 'Redrive started.', async () => {
            const again = await after();
            if (unfinished(again.status)) {
              page.poll(async () => unfinished((await refreshAll()).status), REFRESH_MS);
            }
          });
        } }, 'Redrive'));
    }
    replace(box, buttons);
  }

  async function act(request, done, after) {
    try {
      await request();
      replace(message, notice('info', done));
      await after();
    } catch (error) {
      replace(message, errorNotice(error));
    }
  }
}

function renderOverview(box, e) {
  replace(box, summary([
    ['Execution ARN', h('code', {}, e.executionArn)],
    ['State machine', link(route('state-machine', e.stateMachineArn), arnName(e.stateMachineArn))],
    e.stateMachineVersionArn ? ['Version', link(route('state-machine', e.stateMachineVersionArn), arnName(e.stateMachineVersionArn))] : null,
    e.stateMachineAliasArn ? ['Alias', arnName(e.stateMachineAliasArn)] : null,
    e.mapRunArn ? ['Map run', link(route('map-run', e.mapRunArn), 'parent map run')] : null,
    ['Started', formatDate(e.startDate)],
    ['Ended', formatDate(e.stopDate)],
    ['Duration', formatDuration(e.startDate, e.stopDate)],
    e.redriveCount ? ['Redrives', e.redriveCount + ' (last ' + formatDate(e.redriveDate) + ')'] : null,
    e.error || e.cause ? ['Error', h('span', { class: 'error-text' }, h('strong', {}, e.error || ''), e.cause ? ': ' + e.cause : '')] : null,
  ].filter(Boolean)));
}

function renderIo(box, e) {
  replace(box,
      card('Input', jsonBlock(e.input, { id: 'execution-input' })),
      card('Output', e.output !== undefined ? jsonBlock(e.output, { id: 'execution-output' }) : h('p', { class: 'muted' }, e.status === 'RUNNING' ? 'Not yet.' : '—')));
}

function renderEvents(box, history) {
  // Keep the user's open details across refreshes.
  const open = new Set([...box.querySelectorAll('details[open]')].map((d) => d.dataset.event));
  const start = history.length ? new Date(history[0].timestamp * 1000) : null;
  const rows = history.map((event) => {
    const details = eventDetails(event);
    const name = stateNameOf(event);
    const failed = /(Failed|TimedOut|Aborted)$/.test(event.type);
    return h('tr', { class: failed ? 'row-failed' : '', 'data-event': event.id },
        h('td', { class: 'num' }, event.id),
        h('td', {}, h('span', { class: failed ? 'event-type failed' : 'event-type' }, event.type)),
        h('td', {}, name || ''),
        h('td', { class: 'num' }, start ? '+' + Math.round(event.timestamp * 1000 - start.getTime()) + ' ms' : ''),
        h('td', { class: 'details-cell' }, Object.keys(details).length
          ? h('details', { 'data-event': String(event.id), open: open.has(String(event.id)) },
              h('summary', {}, describe(details)),
              Object.entries(details).map(([key, value]) => h('div', { class: 'detail' }, h('div', { class: 'detail-key' }, key),
                  typeof value === 'string' && /^\s*[[{]/.test(value) ? jsonBlock(value) : h('div', {}, typeof value === 'object' ? prettyJson(value) : String(value)))))
          : ''));
  });
  replace(box, table(['ID', 'Type', 'State', 'Elapsed', 'Details'], rows, { class: 'table events' }));
}

function describe(details) {
  if (details.error) {
    return details.error + (details.cause ? ': ' + String(details.cause).slice(0, 80) : '');
  }
  for (const key of ['output', 'input', 'resource', 'mapRunArn']) {
    if (details[key] !== undefined) {
      return key + ': ' + String(details[key]).slice(0, 80);
    }
  }
  return Object.keys(details).join(', ');
}

async function renderMapRuns(cardElement, box, arn, history) {
  if (!history.some((e) => e.type === 'MapRunStarted')) {
    return;
  }
  try {
    const runs = await all('ListMapRuns', { executionArn: arn }, 'mapRuns');
    cardElement.hidden = runs.length === 0;
    replace(box, table(['Map run', 'State', 'Started', 'Ended'], runs.map((r) => h('tr', {},
        h('td', {}, link(route('map-run', r.mapRunArn), arnName(r.mapRunArn.split('/').slice(-1)[0]), { class: 'strong map-run-link' })),
        h('td', {}, mapStateOf(r.mapRunArn)),
        h('td', {}, formatDate(r.startDate)),
        h('td', {}, formatDate(r.stopDate))))));
  } catch (error) {
    replace(box, errorNotice(error));
    cardElement.hidden = false;
  }
}

/** A map run ARN is ...:mapRun:<machine>/<map state label>:<id>; returns the label. */
function mapStateOf(mapRunArn) {
  const tail = mapRunArn.split(':mapRun:')[1] || '';
  const label = tail.split('/')[1] || '';
  return label.split(':')[0];
}

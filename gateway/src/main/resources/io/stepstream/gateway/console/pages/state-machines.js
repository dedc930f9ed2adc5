// The state machines: the list, and one machine with its graph, versions, aliases and recent executions.
import { call, all, isUnknownOperation } from '../api.js';
import { renderGraph, parseDefinition } from '../graph.js';
import { h, link, route, arnName, formatDate, badge, table, summary, card, notice, errorNotice, jsonBlock } from '../ui.js';
import { executionRows, EXECUTION_HEADERS } from './executions.js';

export async function stateMachinesPage(page) {
  page.root.append(h('header', { class: 'page-header' }, h('h1', {}, 'State machines')));
  const machines = await all('ListStateMachines', {}, 'stateMachines');
  machines.sort((a, b) => a.name.localeCompare(b.name));
  page.root.append(card(null, table(['Name', 'Type', 'Created', ''], machines.map((m) => h('tr', {},
      h('td', {}, link(route('state-machine', m.stateMachineArn), m.name, { class: 'strong' })),
      h('td', {}, badge(m.type)),
      h('td', {}, formatDate(m.creationDate)),
      h('td', { class: 'actions' }, m.type === 'STANDARD'
          ? link('/executions?' + new URLSearchParams({ stateMachine: m.stateMachineArn }), 'Executions') : null))),
  { id: 'state-machines' })));
}

export async function stateMachinePage(page) {
  const [arn] = page.params;
  const machine = await call('DescribeStateMachine', { stateMachineArn: arn });
  page.root.append(h('header', { class: 'page-header' },
      h('div', { class: 'crumbs' }, link('/state-machines', 'State machines'), ' / '),
      h('h1', {}, machine.name, ' ', badge(machine.type)),
      machine.type === 'STANDARD'
        ? h('div', { class: 'header-actions' }, link('/executions?' + new URLSearchParams({ stateMachine: arn }), 'All executions', { class: 'button' }))
        : null));
  page.root.append(card(null, summary([
    ['ARN', h('code', {}, arn)],
    ['Status', machine.status],
    ['Created', formatDate(machine.creationDate)],
    ['Role', machine.roleArn],
    machine.revisionId ? ['Revision', machine.revisionId] : null,
  ].filter(Boolean))));

  const graph = h('div', { class: 'graph-box', id: 'graph' });
  page.root.append(card('Definition', graph, h('details', { class: 'source' }, h('summary', {}, 'ASL source'), jsonBlock(machine.definition))));
  const parsed = parseDefinition(machine.definition);
  if (parsed.error) {
    graph.append(notice('error', 'The definition is not JSON: ' + parsed.error.message));
  } else {
    await renderGraph(graph, parsed.definition);
  }

  const executions = h('div', {});
  const versions = h('div', { id: 'versions' });
  const aliases = h('div', { id: 'aliases' });
  page.root.append(h('div', { class: 'columns' }, card('Versions', versions), card('Aliases', aliases)));
  page.root.append(card('Recent executions', executions));
  await Promise.all([
    loadExecutions(executions, arn, machine.type),
    loadVersions(versions, arn),
    loadAliases(aliases, arn),
  ]);
}

async function loadExecutions(box, arn, type) {
  if (type !== 'STANDARD') {
    box.append(notice('info', 'EXPRESS executions are not listed (as on AWS): open one by its ARN.'));
    return;
  }
  try {
    const answer = await call('ListExecutions', { stateMachineArn: arn, maxResults: 10 });
    box.append(table(EXECUTION_HEADERS.filter((x) => x !== 'State machine'), executionRows(answer.executions || [], false)));
  } catch (error) {
    box.append(errorNotice(error));
  }
}

async function loadVersions(box, arn) {
  try {
    const versions = await all('ListStateMachineVersions', { stateMachineArn: arn }, 'stateMachineVersions');
    box.append(table(['Version', 'Created'], versions.map((v) => h('tr', {},
        h('td', {}, link(route('state-machine', v.stateMachineVersionArn), 'Version ' + arnName(v.stateMachineVersionArn))),
        h('td', {}, formatDate(v.creationDate))))));
  } catch (error) {
    box.append(isUnknownOperation(error) ? notice('unavailable', 'Versions are not available on this server.') : errorNotice(error));
  }
}

async function loadAliases(box, arn) {
  try {
    const aliases = await all('ListStateMachineAliases', { stateMachineArn: arn }, 'stateMachineAliases');
    const described = await Promise.all(aliases.map((a) => call('DescribeStateMachineAlias', { stateMachineAliasArn: a.stateMachineAliasArn })
        .catch(() => ({ stateMachineAliasArn: a.stateMachineAliasArn, routingConfiguration: [] }))));
    box.append(table(['Alias', 'Routing', 'Created'], described.map((a) => h('tr', {},
        h('td', {}, h('span', { class: 'strong' }, arnName(a.stateMachineAliasArn)), a.description ? h('div', { class: 'muted' }, a.description) : null),
        h('td', {}, (a.routingConfiguration || []).map((r) => h('div', { class: 'routing' },
            h('span', { class: 'weight' }, r.weight + ' %'), ' → ', link(route('state-machine', r.stateMachineVersionArn), 'version ' + arnName(r.stateMachineVersionArn))))),
        h('td', {}, formatDate(a.creationDate))))));
  } catch (error) {
    box.append(isUnknownOperation(error) ? notice('unavailable', 'Aliases are not available on this server.') : errorNotice(error));
  }
}

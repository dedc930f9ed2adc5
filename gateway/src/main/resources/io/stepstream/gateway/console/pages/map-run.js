// One Distributed Map run: item and child execution counts as they move, failed children, UpdateMapRun.
import { call } from '../api.js';
import { h, link, route, formatDate, formatDuration, badge, table, summary, card, replace, notice, errorNotice } from '../ui.js';
import { executionRows, EXECUTION_HEADERS } from './executions.js';

const REFRESH_MS = 1500;
const COUNTERS = [['pending', 'Pending'], ['running', 'Running'], ['succeeded', 'Succeeded'], ['failed', 'Failed'],
  ['timedOut', 'Timed out'], ['aborted', 'Aborted'], ['total', 'Total']];

export async function mapRunPage(page) {
  const [arn] = page.params;
  let run = await call('DescribeMapRun', { mapRunArn: arn });

  const title = h('h1', {});
  page.root.append(h('header', { class: 'page-header' },
      h('div', { class: 'crumbs' }, link('/executions', 'Executions'), ' / ', link(route('execution', run.executionArn), 'parent execution'), ' /'),
      title));
  const overview = h('div', {});
  const progress = h('div', { id: 'progress' });
  const counts = h('div', { id: 'counts' });
  const failed = h('div', { id: 'failed-children' });
  const message = h('div', {});
  page.root.append(card(null, overview), card('Progress', progress, counts));

  const maxConcurrency = h('input', { type: 'number', min: 0, id: 'max-concurrency', value: run.maxConcurrency });
  const percentage = h('input', { type: 'number', min: 0, max: 100, step: 'any', id: 'tolerated-percentage', value: run.toleratedFailurePercentage });
  const count = h('input', { type: 'number', min: 0, id: 'tolerated-count', value: run.toleratedFailureCount });
  const form = h('form', { class: 'update-form', id: 'update-map-run' },
      h('label', {}, 'Max concurrency', maxConcurrency, h('span', { class: 'hint' }, '0 means no limit')),
      h('label', {}, 'Tolerated failure percentage', percentage),
      h('label', {}, 'Tolerated failure count', count),
      h('button', { class: 'button', type: 'submit' }, 'Update map run'));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      await call('UpdateMapRun', {
        mapRunArn: arn,
        maxConcurrency: Number(maxConcurrency.value),
        toleratedFailurePercentage: Number(percentage.value),
        toleratedFailureCount: Number(count.value),
      });
      replace(message, notice('info', 'Map run updated.'));
      await refresh();
    } catch (error) {
      replace(message, errorNotice(error));
    }
  });
  page.root.append(h('div', { class: 'columns' }, card('Failed child executions', failed), card('Settings', message, form)));

  const refresh = async () => {
    run = await call('DescribeMapRun', { mapRunArn: arn });
    replace(title, 'Map run ', badge(run.status));
    replace(overview, summary([
      ['Map run ARN', h('code', {}, arn)],
      ['Parent execution', link(route('execution', run.executionArn), run.executionArn.split(':').slice(-1)[0])],
      ['Started', formatDate(run.startDate)],
      ['Ended', formatDate(run.stopDate)],
      ['Duration', formatDuration(run.startDate, run.stopDate)],
      ['Max concurrency', run.maxConcurrency === 0 ? 'no limit' : run.maxConcurrency],
      ['Tolerated failures', (run.toleratedFailurePercentage ?? 0) + ' % or ' + (run.toleratedFailureCount ?? 0) + ' items'],
      run.redriveCount ? ['Redrives', run.redriveCount] : null,
    ].filter(Boolean)));
    replace(progress, bar(run.itemCounts || {}));
    replace(counts, table(['', ...COUNTERS.map(([, text]) => text), 'Results written'], [
      countRow('Items', 'items', run.itemCounts || {}),
      countRow('Child executions', 'executions', run.executionCounts || {}),
    ], { class: 'table counts' }));
    try {
      const answer = await call('ListExecutions', { mapRunArn: arn, statusFilter: 'FAILED', maxResults: 100 });
      replace(failed, table(EXECUTION_HEADERS.filter((x) => x !== 'State machine'), executionRows(answer.executions || [], false),
          { id: 'failed-executions' }));
    } catch (error) {
      replace(failed, errorNotice(error));
    }
    page.root.dataset.refreshes = String(Number(page.root.dataset.refreshes || 0) + 1);
    return run.status === 'RUNNING';
  };
  await refresh();
  page.poll(refresh, REFRESH_MS);
}

function countRow(label, kind, counts) {
  return h('tr', {}, h('th', { scope: 'row' }, label),
      COUNTERS.map(([key]) => h('td', { class: 'num', 'data-kind': kind, 'data-counter': key }, counts[key] ?? 0)),
      h('td', { class: 'num', 'data-kind': kind, 'data-counter': 'resultsWritten' }, counts.resultsWritten ?? 0));
}

function bar(counts) {
  const total = counts.total || 0;
  const parts = [['succeeded', counts.succeeded], ['failed', (counts.failed || 0) + (counts.timedOut || 0) + (counts.aborted || 0)],
    ['running', counts.running], ['pending', counts.pending]];
  const done = (counts.succeeded || 0) + (counts.failed || 0) + (counts.timedOut || 0) + (counts.aborted || 0);
  return h('div', { class: 'progress' },
      h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': total, 'aria-valuenow': done },
          parts.filter(([, n]) => n > 0).map(([kind, n]) => h('div', { class: 'progress-' + kind, style: 'width:' + (100 * n / Math.max(total, 1)) + '%', title: n + ' ' + kind }))),
      h('div', { class: 'progress-text' }, done + ' of ' + total + ' items done' + (total ? ' (' + Math.round(100 * done / total) + ' %)' : '')));
}

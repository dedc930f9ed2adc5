// The console's shell: a hash router, page life cycle (polling that stops on navigation) and error reporting.
import { h, replace, notice } from './ui.js';
import { isAuthenticationError } from './api.js';
import { stateMachinesPage, stateMachinePage } from './pages/state-machines.js';
import { executionsPage } from './pages/executions.js';
import { executionPage } from './pages/execution.js';
import { mapRunPage } from './pages/map-run.js';

const routes = [
  { pattern: /^\/?$/, page: stateMachinesPage, nav: 'state-machines' },
  { pattern: /^\/state-machines$/, page: stateMachinesPage, nav: 'state-machines' },
  { pattern: /^\/state-machine\/([^/]+)$/, page: stateMachinePage, nav: 'state-machines' },
  { pattern: /^\/executions$/, page: executionsPage, nav: 'executions' },
  { pattern: /^\/execution\/([^/]+)$/, page: executionPage, nav: 'executions' },
  { pattern: /^\/map-run\/([^/]+)$/, page: mapRunPage, nav: 'executions' },
];

/** Errors the page met (scripts and API calls that failed unexpectedly); the browser test reads them. */
window.__consoleErrors = [];

function reportError(message) {
  window.__consoleErrors.push(message);
  const banner = document.getElementById('errors');
  banner.hidden = false;
  banner.append(h('div', {}, message));
}

window.addEventListener('error', (event) => reportError('Script error: ' + event.message));
window.addEventListener('unhandledrejection', (event) => reportError('Unhandled: ' + (event.reason?.stack || event.reason)));

let current;

/**
 * What a page gets: its element, the route's parameters, and `poll(fn, ms)`, which runs fn every ms
 * milliseconds after each run ends (never two at once), pauses while the tab is hidden, and stops when
 * the user navigates away.
 */
class PageContext {
  constructor(root, params, query) {
    this.root = root;
    this.params = params;
    this.query = query;
    this.timers = new Set();
    this.closed = false;
  }

  poll(fn, ms) {
    let timer;
    const run = async () => {
      this.timers.delete(timer);
      if (this.closed) {
        return;
      }
      let again = true;
      if (!document.hidden) {
        try {
          again = (await fn()) !== false;
        } catch (error) {
          reportError('Refresh failed: ' + (error.type ? error.type + ': ' : '') + error.message);
        }
      }
      if (again && !this.closed) {
        timer = setTimeout(run, ms);
        this.timers.add(timer);
      }
    };
    timer = setTimeout(run, ms);
    this.timers.add(timer);
  }

  /** Marks the page as loaded (the browser test waits for this). */
  ready() {
    document.body.dataset.ready = 'true';
  }

  close() {
    this.closed = true;
    for (const timer of this.timers) {
      clearTimeout(timer);
    }
  }
}

async function render() {
  const hash = location.hash.replace(/^#/, '') || '/';
  const [path, search] = hash.split('?');
  const view = document.getElementById('view');
  if (current) {
    current.close();
  }
  document.body.dataset.ready = 'false';
  for (const { pattern, page, nav } of routes) {
    const match = path.match(pattern);
    if (match) {
      document.body.dataset.page = page.name;
      for (const a of document.querySelectorAll('nav a')) {
        a.classList.toggle('active', a.dataset.nav === nav);
      }
      const root = h('div', { class: 'page' });
      replace(view, root);
      current = new PageContext(root, match.slice(1).map(decodeURIComponent), new URLSearchParams(search || ''));
      try {
        await page(current);
      } catch (error) {
        root.append(notice('error', h('strong', {}, error.type || 'Error'), ': ', error.message || String(error)));
        if (isAuthenticationError(error)) {
          root.append(notice('info', 'This server checks request signatures (SigV4) and the console sends unsigned requests. '
              + 'Use the console against a server with authentication off, such as stepstream dev; see docs/console.md.'));
        }
        if (!error.type) {
          reportError(String(error.stack || error));
        }
      }
      current.ready();
      return;
    }
  }
  replace(view, notice('error', 'There is no page at ', h('code', {}, path), '.'));
  document.body.dataset.ready = 'true';
}

window.addEventListener('hashchange', render);
render();

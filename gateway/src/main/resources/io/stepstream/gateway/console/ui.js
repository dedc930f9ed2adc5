// Small DOM helpers shared by the pages.

/** Creates an element: h('a', {href: '#/x', class: 'link'}, 'text', child, ...). */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.substring(2), value);
    } else if (name === 'dataset') {
      Object.assign(element.dataset, value);
    } else {
      element.setAttribute(name, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children) {
    if (child === undefined || child === null || child === false) {
      continue;
    }
    if (Array.isArray(child)) {
      append(element, child);
    } else {
      element.append(child instanceof Node ? child : String(child));
    }
  }
}

/** Replaces the children of an element. */
export function replace(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** The resource name at the end of an ARN (a state machine's or an execution's name). */
export function arnName(arn) {
  const parts = String(arn || '').split(':');
  return parts[parts.length - 1];
}

/** A link to a page of the console. */
export function link(route, text, attributes = {}) {
  return h('a', { href: '#' + route, ...attributes }, text);
}

/** The route of a page about one resource: '/execution/' + encoded ARN. */
export function route(kind, arn, query) {
  const base = '/' + kind + '/' + encodeURIComponent(arn);
  return query ? base + '?' + new URLSearchParams(query) : base;
}

/** Formats epoch seconds (the API's timestamps) as a local date and time. */
export function formatDate(seconds) {
  if (seconds === undefined || seconds === null) {
    return '—';
  }
  const date = new Date(seconds * 1000);
  const pad = (n, w = 2) => String(n).padStart(w, '0');
  return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) + ' '
      + pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()) + '.' + pad(date.getMilliseconds(), 3);
}

/** Formats a duration between two epoch-second timestamps (the second may be missing: now). */
export function formatDuration(start, stop) {
  if (start === undefined || start === null) {
    return '—';
  }
  const ms = Math.max(0, Math.round(((stop ?? Date.now() / 1000) - start) * 1000));
  if (ms < 1000) {
    return ms + ' ms';
  }
  if (ms < 60000) {
    return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + ' s';
  }
  const minutes = Math.floor(ms / 60000);
  return minutes + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}

/** A coloured status label (SUCCEEDED, FAILED, RUNNING, ...). */
export function badge(status) {
  const text = String(status || 'UNKNOWN');
  return h('span', { class: 'badge badge-' + text.toLowerCase().replace(/_/g, '-') }, text.replace(/_/g, ' '));
}

/** Pretty-prints a JSON string (or value); leaves text that is not JSON as it is. */
export function prettyJson(value) {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    return JSON.stringify(value, null, 2);
  }
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch (e) {
    return value;
  }
}

/** A block of JSON in a scrollable box. */
export function jsonBlock(value, attributes = {}) {
  return h('pre', { class: 'json', ...attributes }, prettyJson(value));
}

/** A message box: 'error', 'info' or 'unavailable'. */
export function notice(kind, ...content) {
  return h('div', { class: 'notice notice-' + kind, role: kind === 'error' ? 'alert' : 'status' }, ...content);
}

/** A message for an API error. */
export function errorNotice(error) {
  return notice('error', h('strong', {}, error.type || 'Error'), ': ', error.message || String(error));
}

/** A table with a header row; rows are arrays of cells. */
export function table(headers, rows, attributes = {}) {
  return h('table', { class: 'table', ...attributes },
      h('thead', {}, h('tr', {}, headers.map((header) => h('th', {}, header)))),
      h('tbody', {}, rows.length ? rows : h('tr', { class: 'empty' }, h('td', { colspan: headers.length }, 'Nothing here yet.'))));
}

/** A key/value summary (a definition list laid out as a grid). */
export function summary(pairs) {
  return h('dl', { class: 'summary' }, pairs.flatMap(([key, value]) => [h('dt', {}, key), h('dd', {}, value ?? '—')]));
}

/** A titled card. */
export function card(title, ...content) {
  return h('section', { class: 'card' }, title ? h('h2', {}, title) : null, ...content);
}

// A state machine's definition as a graph: ASL -> an ELK graph (nested for Parallel and Map) -> SVG.
// ELK (the Eclipse Layout Kernel, vendored as vendor/elkjs-*/elk.bundled.js) places nodes and routes edges;
// this file only describes the graph and draws what ELK computed.

const SVG = 'http://www.w3.org/2000/svg';
const NODE_HEIGHT = 44;
const TERMINAL = { width: 64, height: 28 };
const START = '__start';
const END = '__end';

let measureContext;

function textWidth(text, font) {
  measureContext = measureContext || document.createElement('canvas').getContext('2d');
  measureContext.font = font;
  return measureContext.measureText(text).width;
}

function stateWidth(name, type) {
  return Math.ceil(Math.max(textWidth(name, '600 13px system-ui, sans-serif'), textWidth(type, '11px system-ui, sans-serif')) + 32);
}

/** The states of a Map state's processor (ItemProcessor, or the older Iterator). */
function processorOf(state) {
  return state.ItemProcessor || state.Iterator;
}

/** The transitions out of a state: [{target, kind}] where kind is next, default, choice or catch. */
export function transitions(state) {
  const out = [];
  if (state.Next) {
    out.push({ target: state.Next, kind: 'next' });
  }
  for (const choice of state.Choices || []) {
    if (choice.Next) {
      out.push({ target: choice.Next, kind: 'choice' });
    }
  }
  if (state.Default) {
    out.push({ target: state.Default, kind: 'default' });
  }
  for (const handler of state.Catch || []) {
    if (handler.Next) {
      out.push({ target: handler.Next, kind: 'catch', label: (handler.ErrorEquals || []).join(', ') });
    }
  }
  return out;
}

function endsExecution(state) {
  return state.End === true || state.Type === 'Succeed' || state.Type === 'Fail';
}

/**
 * Builds the ELK graph of a definition. Node ids are state names prefixed by their scope, so that
 * a scope's nodes and edges stay inside it; `names` maps each id back to its state name.
 */
function elkGraph(definition) {
  const names = new Map();
  const edges = [];

  function scope(states, prefix, top) {
    const children = [];
    const localEdges = [];
    const ids = new Map(Object.keys(states || {}).map((name) => [name, prefix + name]));
    for (const [name, state] of Object.entries(states || {})) {
      const id = ids.get(name);
      names.set(id, name);
      const type = state.Type || '?';
      const node = { id, labels: [{ text: name }], type, state };
      if (type === 'Parallel') {
        node.children = (state.Branches || []).map((branch, i) => {
          const branchId = id + '/branch' + (i + 1);
          const inner = scope(branch.States, branchId + '/', false);
          return { id: branchId, kind: 'branch', labels: [{ text: 'Branch ' + (i + 1) }], children: inner.children,
            edges: inner.edges, layoutOptions: { 'elk.padding': '[top=30,left=14,bottom=14,right=14]' } };
        });
        node.layoutOptions = { 'elk.padding': '[top=36,left=14,bottom=14,right=14]', 'elk.direction': 'RIGHT' };
      } else if (type === 'Map' && processorOf(state)) {
        const inner = scope(processorOf(state).States, id + '/', false);
        node.children = inner.children;
        node.edges = inner.edges;
        node.layoutOptions = { 'elk.padding': '[top=36,left=14,bottom=14,right=14]' };
      } else {
        node.width = stateWidth(name, type);
        node.height = NODE_HEIGHT;
      }
      children.push(node);
      for (const t of transitions(state)) {
        if (ids.has(t.target)) {
          localEdges.push({ id: id + '->' + t.target + '#' + localEdges.length, sources: [id], targets: [ids.get(t.target)],
            kind: t.kind, label: t.label, from: name, to: t.target });
        }
      }
      if (top && endsExecution(state)) {
        localEdges.push({ id: id + '->' + END, sources: [id], targets: [END], kind: 'next', from: name, to: END });
      }
    }
    return { children, edges: localEdges };
  }

  const top = scope(definition.States, '', true);
  const children = [
    { id: START, width: TERMINAL.width, height: TERMINAL.height, terminal: 'Start' },
    ...top.children,
    { id: END, width: TERMINAL.width, height: TERMINAL.height, terminal: 'End' },
  ];
  if (definition.StartAt && names.has(definition.StartAt)) {
    top.edges.unshift({ id: START + '->' + definition.StartAt, sources: [START], targets: [definition.StartAt], kind: 'next',
      from: START, to: definition.StartAt });
  }
  edges.push(...top.edges);
  return {
    names,
    root: {
      id: 'root',
      layoutOptions: {
        'elk.algorithm': 'layered',
        'elk.direction': 'DOWN',
        'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
        'elk.layered.spacing.nodeNodeBetweenLayers': '36',
        'elk.spacing.nodeNode': '28',
        'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
        'elk.edgeRouting': 'ORTHOGONAL',
        'elk.json.shapeCoords': 'ROOT',
        'elk.json.edgeCoords': 'ROOT',
        'elk.padding': '[top=12,left=12,bottom=12,right=12]',
      },
      children,
      edges,
    },
  };
}

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null) {
      element.setAttribute(name, value);
    }
  }
  for (const child of children) {
    if (child) {
      element.append(child);
    }
  }
  return element;
}

function drawNode(layer, node, status, onSelect) {
  const name = node.labels ? node.labels[0].text : node.terminal;
  if (node.terminal) {
    const group = svg('g', { class: 'terminal', 'data-terminal': node.terminal });
    group.append(svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: node.height / 2 }));
    group.append(svg('text', { x: node.x + node.width / 2, y: node.y + node.height / 2 + 4, 'text-anchor': 'middle' }, document.createTextNode(node.terminal)));
    layer.append(group);
    return;
  }
  if (node.kind === 'branch') {
    const group = svg('g', { class: 'branch' });
    group.append(svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 6 }));
    group.append(svg('text', { x: node.x + 10, y: node.y + 18, class: 'branch-label' }, document.createTextNode(node.labels[0].text)));
    layer.append(group);
    return;
  }
  const state = status ? status(name) : undefined;
  const classes = ['state', 'type-' + node.type.toLowerCase()];
  if (node.children) {
    classes.push('container');
  }
  if (state) {
    classes.push('status-' + state);
  }
  const group = svg('g', { class: classes.join(' '), 'data-state': name, 'data-status': state || undefined, tabindex: onSelect ? 0 : undefined });
  group.append(svg('title', {}, document.createTextNode(name + ' (' + node.type + ')' + (state ? ': ' + state.replace(/-/g, ' ') : ''))));
  group.append(svg('rect', { x: node.x, y: node.y, width: node.width, height: node.height, rx: 6 }));
  if (node.children) {
    group.append(svg('text', { x: node.x + 12, y: node.y + 16, class: 'name' }, document.createTextNode(name)));
    group.append(svg('text', { x: node.x + 12, y: node.y + 29, class: 'type' }, document.createTextNode(node.type + (node.type === 'Map' && node.state.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED' ? ' (distributed)' : ''))));
  } else {
    group.append(svg('text', { x: node.x + node.width / 2, y: node.y + 19, 'text-anchor': 'middle', class: 'name' }, document.createTextNode(name)));
    group.append(svg('text', { x: node.x + node.width / 2, y: node.y + 34, 'text-anchor': 'middle', class: 'type' }, document.createTextNode(node.type)));
  }
  if (onSelect) {
    group.addEventListener('click', (event) => { event.stopPropagation(); onSelect(name); });
    group.addEventListener('keydown', (event) => { if (event.key === 'Enter') { onSelect(name); } });
  }
  layer.append(group);
}

function drawEdge(layer, edge, taken) {
  for (const section of edge.sections || []) {
    const points = [section.startPoint, ...(section.bendPoints || []), section.endPoint];
    const d = points.map((p, i) => (i ? 'L' : 'M') + p.x + ' ' + p.y).join(' ');
    const classes = ['edge', 'edge-' + edge.kind];
    if (taken && taken(edge.from, edge.to)) {
      classes.push('taken');
    }
    const path = svg('path', { d, class: classes.join(' '), 'marker-end': 'url(#arrow)', 'data-from': edge.from, 'data-to': edge.to });
    path.append(svg('title', {}, document.createTextNode(edge.kind === 'catch' ? 'Catch ' + edge.label : edge.kind === 'default' ? 'Default' : edge.kind === 'choice' ? 'Choice rule' : 'Next')));
    layer.append(path);
  }
}

function walk(node, visit) {
  for (const child of node.children || []) {
    visit(child);
    walk(child, visit);
  }
}

function collectEdges(node, out) {
  out.push(...(node.edges || []));
  for (const child of node.children || []) {
    collectEdges(child, out);
  }
  return out;
}

/**
 * Lays out and draws a definition into `container`.
 *
 * @param container the element that receives the SVG
 * @param definition the ASL definition (an object)
 * @param options.status (stateName) => 'succeeded' | 'failed' | 'caught' | 'running' | 'aborted' | undefined
 * @param options.taken (fromName, toName) => whether the execution went along that transition
 * @param options.onSelect (stateName) => void, when a state is clicked
 */
export async function renderGraph(container, definition, options = {}) {
  if (!window.ELK) {
    throw new Error('The layout library (ELK) did not load');
  }
  const { root } = elkGraph(definition);
  const laid = await new window.ELK().layout(root);
  const width = Math.ceil(laid.width);
  const height = Math.ceil(laid.height);
  const canvas = svg('svg', { class: 'graph', viewBox: '0 0 ' + width + ' ' + height, width, height, role: 'img',
    'aria-label': 'State machine graph' });
  canvas.append(svg('defs', {}, svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 9, markerHeight: 9, markerUnits: 'userSpaceOnUse', orient: 'auto-start-reverse' },
      svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrow' }))));
  const nodes = svg('g', { class: 'nodes' });
  const edges = svg('g', { class: 'edges' });
  walk(laid, (node) => drawNode(nodes, node, options.status, options.onSelect));
  for (const edge of collectEdges(laid, [])) {
    drawEdge(edges, edge, options.taken);
  }
  canvas.append(nodes, edges);
  container.replaceChildren(canvas);
  return canvas;
}

/** Parses a definition string; returns null (and the error) when it is not JSON. */
export function parseDefinition(text) {
  try {
    return { definition: JSON.parse(text) };
  } catch (e) {
    return { error: e };
  }
}

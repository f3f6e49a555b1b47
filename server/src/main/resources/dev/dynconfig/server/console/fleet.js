// Fleet: the instances connected to this server, what they report (which methods use each key,
// which keys they do not know, who saw which variant) and the findings (GET /v1/admin/fleet).
import { api } from './api.js';
import { h, add, clear, when } from './dom.js';
import { notify } from './ui.js';
import { tableOf } from './flags.js';

export function fleetPage() {
  const body = h('div', { id: 'fleet' });
  const reload = h('button', { type: 'button', id: 'fleet-reload' }, 'Reload');
  const el = h('section', {}, h('div', { class: 'toolbar' }, reload), body);
  reload.addEventListener('click', () => load());

  async function load() {
    try {
      render(await api('GET', '/v1/admin/fleet'));
    } catch (e) {
      notify('error', `Could not load the fleet: ${e.message}`);
    }
  }

  function render(f) {
    clear(body);
    add(body, h('h2', {}, 'Findings'));
    if (!f.findings.length) add(body, h('p', { class: 'muted' }, 'No findings.'));
    add(
      body,
      h('ul', { class: 'findings', id: 'findings' }, f.findings.map((x) => h('li', { 'data-finding': x.type }, h('strong', {}, x.type), ' ', findingText(x)))),
    );
    add(body, h('h2', {}, `Instances (${f.instances.length})`));
    add(
      body,
      wrap(tableOf(
        ['App', 'Host', 'PID', 'Version', 'Behind', 'Last seen', 'State', 'Sites'],
        f.instances.map((i) =>
          h('tr', { 'data-instance': i.instance }, [i.app, i.host, i.pid, i.version, i.lag, when(i.lastSeen), i.state, i.sites].map((v) => h('td', {}, v))),
        ),
        'instances',
      )),
    );
    add(body, h('h2', {}, 'Keys'));
    add(
      body,
      wrap(tableOf(
        ['Kind', 'Key', 'Apps', 'Methods', 'Unknown in', 'Exposures'],
        f.keys.map((k) =>
          h(
            'tr',
            { 'data-key': `${k.kind} ${k.key}` },
            h('td', {}, k.kind),
            h('td', { class: 'key' }, k.key),
            h('td', {}, k.apps.join(', ')),
            h('td', { class: 'json-cell' }, k.methods.join(', ')),
            h('td', {}, k.unknownIn.length ? `${k.unknownIn.length} instance(s)` : ''),
            h('td', {}, exposures(f, k)),
          ),
        ),
        'keys',
      )),
    );
  }

  return { el, update: () => load() };
}

function wrap(table) {
  return h('div', { class: 'table-wrap' }, table);
}

function exposures(f, k) {
  if (k.kind === 'test') {
    const variants = f.tests[k.key] || [];
    return variants
      .map((v) => `${v.variant}: ${v.exposures} (${(v.errorRate * 100).toFixed(1)} % errors${v.p50Ms != null ? `, p50 ${v.p50Ms} ms, p99 ${v.p99Ms} ms` : ''})`)
      .join('; ');
  }
  const counts = f.flagExposures[k.key];
  return counts ? Object.entries(counts).map(([value, n]) => `${value}: ${n}`).join(', ') : '';
}

function findingText(x) {
  switch (x.type) {
    case 'unknown-key':
      return `${x.key}${x.closest ? ` (closest existing key: ${x.closest})` : ''}, used by ${x.methods.join(', ')}`;
    case 'lagging-instance':
      return `${x.app} holds version ${x.version} of ${x.currentVersion} since ${when(x.behindSince)}`;
    case 'expired':
      return `${x.kind} ${x.key}, expired ${when(x.expiresAt)}`;
    case 'fully-rolled-out':
      return `${x.kind} ${x.key}, unchanged since ${when(x.unchangedSince)}: remove it from the code`;
    default:
      return `${x.kind} ${x.key}, used by no method in the last 24 h`;
  }
}

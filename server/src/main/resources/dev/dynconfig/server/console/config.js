// Config: namespaces and keys with their values; a value is edited as JSON.
import { api, enc } from './api.js';
import { h, add, clear, shortJson, when } from './dom.js';
import { saved, field, openDialog, showRefusal, jsonArea, readJson, localProblem, readOnlyTitle } from './ui.js';
import { tableOf, rowActions } from './flags.js';

export function configPage(state) {
  const create = h(
    'button',
    { type: 'button', class: 'primary', id: 'new-config', disabled: !state.canEdit, title: readOnlyTitle(state.canEdit) },
    'New value',
  );
  const body = h('div', {});
  const el = h('section', {}, h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Configuration values'), create), body);
  create.addEventListener('click', () => editValue(state, '', '', undefined));

  function update() {
    clear(body);
    if (!state.doc) return;
    if (state.flagd) {
      add(body, h('p', { class: 'muted' }, 'This server serves a flagd document, which has no config values.'));
      create.disabled = true;
      return;
    }
    const config = state.doc.config || {};
    const namespaces = Object.keys(config);
    if (!namespaces.length) add(body, h('p', { class: 'muted' }, 'No config values yet.'));
    for (const ns of namespaces) {
      const rows = Object.entries(config[ns] || {}).map(([k, v]) => {
        const c = state.history.find((x) => x.items.some((i) => i.kind === 'config' && i.namespace === ns && i.key === k));
        return h(
          'tr',
          { 'data-key': `${ns}/${k}` },
          h('td', { class: 'key' }, h('code', {}, k)),
          h('td', { class: 'json-cell' }, shortJson(v)),
          h('td', { class: 'changed' }, c ? [h('div', {}, c.principal), h('div', { class: 'muted' }, when(c.at))] : '—'),
          h('td', { class: 'row-actions' }, rowActions(state, 'value', k, () => editValue(state, ns, k, v), `/v1/admin/config/${enc(ns)}/${enc(k)}`)),
        );
      });
      add(body, [h('h3', { class: 'ns' }, ns), h('div', { class: 'table-wrap' }, tableOf(['Key', 'Value', 'Last changed', ''], rows, `config-${ns}`))]);
    }
  }
  return { el, update };
}

function editValue(state, ns, key, value) {
  const base = state.version;
  const isNew = !key;
  openDialog(isNew ? 'New config value' : `${ns} / ${key}`, (d) => {
    const nsIn = h('input', { type: 'text', name: 'namespace', disabled: !isNew });
    nsIn.value = ns;
    const keyIn = h('input', { type: 'text', name: 'key', disabled: !isNew });
    keyIn.value = key;
    const val = jsonArea(value, 'value', 6);
    add(d.body, [field('Namespace', nsIn, 'namespace'), field('Key', keyIn, 'key'), field('Value (JSON)', val, 'value', 'e.g. "dark", 1500, true, {"a": 1}')]);
    const save = h('button', { type: 'submit', class: 'primary', disabled: !state.canEdit }, 'Save');
    save.addEventListener('click', async () => {
      const n = nsIn.value.trim();
      const k = keyIn.value.trim();
      if (!n || !k) return localProblem(d, n ? 'key' : 'namespace', 'A namespace and a key are needed.');
      let v;
      try {
        v = readJson(val, 'The value', false);
      } catch (e) {
        return localProblem(d, 'value', e.message);
      }
      try {
        saved(await api('PUT', `/v1/admin/config/${enc(n)}/${enc(k)}`, { body: v, ifMatch: base }));
        d.close();
        state.refresh();
      } catch (err) {
        showRefusal(d, err);
      }
    });
    add(d.actions, [h('button', { type: 'button', onclick: () => d.close() }, 'Close'), save]);
  });
}

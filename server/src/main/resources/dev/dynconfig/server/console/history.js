// History: every change with who, when, from where and a readable before/after per item, and a
// one-click revert (itself a new, audited change).
import { api } from './api.js';
import { h, add, clear, shortJson, when } from './dom.js';
import { notify, refusalText, readOnlyTitle } from './ui.js';

export function historyPage(state) {
  const list = h('div', { class: 'history', id: 'history' });
  const el = h('section', {}, h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'Newest first')), list);

  function update() {
    clear(list);
    if (!state.history.length) add(list, h('p', { class: 'muted' }, 'No changes recorded yet.'));
    for (const c of state.history) add(list, changeCard(state, c));
  }
  return { el, update };
}

function changeCard(state, c) {
  const revert = h(
    'button',
    {
      type: 'button',
      class: 'revert',
      disabled: !state.canEdit || !c.items.length,
      title: readOnlyTitle(state.canEdit) || 'Put these items back as they were before this change',
    },
    'Revert',
  );
  revert.addEventListener('click', async () => {
    try {
      const r = await api('POST', `/v1/admin/history/${c.id}/revert`, { ifMatch: state.version });
      notify('ok', `Reverted change ${c.id} (now version ${r.version}).`);
    } catch (err) {
      notify('error', refusalText(err));
    }
    state.refresh();
  });
  return h(
    'article',
    { class: 'change', 'data-change': c.id },
    h(
      'header',
      {},
      h('strong', {}, c.action),
      h('span', { class: 'muted' }, ` · version ${c.version} · `, when(c.at), ' · '),
      h('span', { class: 'principal-name' }, c.principal),
      h('span', { class: `badge ${c.source}` }, c.source),
      revert,
    ),
    c.items.map(itemDiff),
  );
}

function itemDiff(i) {
  const name = i.kind === 'config' ? `config ${i.namespace}/${i.key}` : `${i.kind} ${i.key}`;
  let lines;
  if (i.before == null) lines = [h('div', { class: 'added' }, 'created: ', shortJson(i.after))];
  else if (i.after == null) lines = [h('div', { class: 'removed' }, 'deleted: ', shortJson(i.before))];
  else if (isObject(i.before) && isObject(i.after)) {
    const keys = [...new Set([...Object.keys(i.before), ...Object.keys(i.after)])];
    lines = keys
      .filter((k) => JSON.stringify(i.before[k]) !== JSON.stringify(i.after[k]))
      .map((k) =>
        h('div', { class: 'line' }, h('code', {}, k), ': ', h('span', { class: 'removed' }, shortJson(i.before[k])), ' → ', h('span', { class: 'added' }, shortJson(i.after[k]))),
      );
  } else {
    lines = [h('div', { class: 'line' }, h('span', { class: 'removed' }, shortJson(i.before)), ' → ', h('span', { class: 'added' }, shortJson(i.after)))];
  }
  return h('div', { class: 'item' }, h('div', { class: 'item-name' }, name), lines);
}

function isObject(v) {
  return v && typeof v === 'object' && !Array.isArray(v);
}

// A/B tests: status and dates, the allocation as percentages that must sum to 100 (checked here
// before sending, and again by the server), variant configs as JSON.
import { api, enc } from './api.js';
import { h, add, clear, when } from './dom.js';
import { notify, saved, field, openDialog, showRefusal, jsonArea, readJson, localProblem, readOnlyTitle } from './ui.js';
import { tableOf, rowActions, setOrDelete } from './flags.js';

const STATUSES = ['draft', 'running', 'paused', 'completed'];

export function testsPage(state) {
  const create = h(
    'button',
    { type: 'button', class: 'primary', id: 'new-test', disabled: !state.canEdit, title: readOnlyTitle(state.canEdit) },
    'New test',
  );
  const body = h('div', { class: 'table-wrap' });
  const el = h('section', {}, h('div', { class: 'toolbar' }, h('span', { class: 'muted' }, 'A/B tests'), create), body);
  create.addEventListener('click', () => editTest(state, null));

  function update() {
    clear(body);
    if (!state.doc) return;
    if (state.flagd) {
      add(body, h('p', { class: 'muted' }, 'This server serves a flagd document, which has no A/B tests.'));
      create.disabled = true;
      return;
    }
    const rows = (state.doc.tests || []).map((t) => {
      const c = state.history.find((x) => x.items.some((i) => i.kind === 'test' && i.key === t.id));
      return h(
        'tr',
        { 'data-key': t.id },
        h('td', { class: 'key' }, h('code', {}, t.id)),
        h('td', {}, t.name || ''),
        h('td', {}, h('span', { class: `badge ${t.status || ''}` }, t.status || '')),
        h('td', {}, t.startDate || '—'),
        h('td', {}, t.endDate || '—'),
        h('td', {}, Object.entries(t.allocation || {}).map(([v, p]) => `${v} ${p}%`).join(', ')),
        h('td', { class: 'changed' }, c ? [h('div', {}, c.principal), h('div', { class: 'muted' }, when(c.at))] : '—'),
        h('td', { class: 'row-actions' }, rowActions(state, 'test', t.id, () => editTest(state, t.id), `/v1/admin/tests/${enc(t.id)}`)),
      );
    });
    add(body, tableOf(['Id', 'Name', 'Status', 'Start', 'End', 'Allocation', 'Last changed', ''], rows, 'tests'));
  }
  return { el, update };
}

function editTest(state, id) {
  const base = state.version;
  const test = id
    ? { ...(state.doc.tests || []).find((t) => t.id === id) }
    : { status: 'draft', variants: [{ id: 'control', isControl: true, config: {} }, { id: 'variant-a', config: {} }], allocation: { control: 50, 'variant-a': 50 } };
  openDialog(id ? `Test ${id}` : 'New test', (d) => {
    const idIn = h('input', { type: 'text', name: 'id', disabled: !!id });
    idIn.value = id || '';
    const name = h('input', { type: 'text', name: 'name' });
    name.value = test.name || '';
    const status = h('select', { name: 'status' }, STATUSES.map((s) => h('option', { value: s }, s)));
    status.value = test.status || 'draft';
    const start = h('input', { type: 'text', name: 'startDate', placeholder: '2027-01-01T00:00:00Z' });
    start.value = test.startDate || '';
    const end = h('input', { type: 'text', name: 'endDate', placeholder: '2027-02-01T00:00:00Z' });
    end.value = test.endDate || '';
    const variants = jsonArea(test.variants, 'variants', 10);
    const alloc = h('div', { class: 'alloc' });
    const sum = h('div', { class: 'sum', id: 'allocation-sum' });
    const inputs = {};
    function variantIds() {
      try {
        const v = JSON.parse(variants.value);
        return Array.isArray(v) ? v.map((x) => x && x.id).filter(Boolean) : [];
      } catch {
        return Object.keys(inputs);
      }
    }
    function drawAlloc() {
      const current = {};
      for (const [k, i] of Object.entries(inputs)) current[k] = i.value;
      clear(alloc);
      for (const k of Object.keys(inputs)) delete inputs[k];
      for (const v of variantIds()) {
        const i = h('input', { type: 'number', min: 0, max: 100, step: 'any', name: `alloc-${v}`, 'aria-label': `Allocation of ${v}` });
        i.value = current[v] ?? (test.allocation || {})[v] ?? 0;
        i.addEventListener('input', checkSum);
        inputs[v] = i;
        add(alloc, h('label', { class: 'alloc-row' }, h('span', {}, v), i, h('span', {}, '%')));
      }
      checkSum();
    }
    function total() {
      return Object.values(inputs).reduce((a, i) => a + (Number(i.value) || 0), 0);
    }
    function checkSum() {
      const t = Math.round(total() * 1000) / 1000;
      sum.textContent = t === 100 ? 'Sum: 100% ✓' : `Sum: ${t}% — the allocation must add up to 100%`;
      sum.className = t === 100 ? 'sum ok' : 'sum bad';
      save.disabled = !state.canEdit || t !== 100;
    }
    variants.addEventListener('change', drawAlloc);
    const save = h('button', { type: 'submit', class: 'primary' }, 'Save');
    add(d.body, [
      field('Id', idIn, 'id'),
      field('Name', name, 'name'),
      field('Status', status, 'status'),
      field('Start date', start, 'startDate', 'ISO-8601; empty = none'),
      field('End date', end, 'endDate', 'ISO-8601; empty = none'),
      field('Variants (JSON array of {id, name, isControl, config})', variants, 'variants'),
      h('div', { class: 'field', 'data-field': 'allocation' }, h('span', { class: 'label' }, 'Allocation'), alloc, sum, h('div', { class: 'problems' })),
    ]);
    drawAlloc();
    save.addEventListener('click', async () => {
      const k = idIn.value.trim();
      if (!k) return localProblem(d, 'id', 'An id is needed.');
      if (total() !== 100) return localProblem(d, 'allocation', 'The allocation must add up to 100%.');
      const body = { ...test, status: status.value };
      delete body.id;
      setOrDelete(body, 'name', name.value.trim());
      setOrDelete(body, 'startDate', start.value.trim());
      setOrDelete(body, 'endDate', end.value.trim());
      try {
        body.variants = readJson(variants, 'Variants', false);
      } catch (e) {
        return localProblem(d, 'variants', e.message);
      }
      body.allocation = Object.fromEntries(Object.entries(inputs).map(([v, i]) => [v, Number(i.value)]));
      try {
        saved(await api('PUT', `/v1/admin/tests/${enc(k)}`, { body, ifMatch: base }));
        d.close();
        state.refresh();
      } catch (err) {
        showRefusal(d, err);
      }
    });
    add(d.actions, [h('button', { type: 'button', onclick: () => d.close() }, 'Close'), save]);
  });
}

// Flags: one table over the native or the flagd format, one-click on/off, a rollout slider, and a
// dialog for everything else (targeting as JSON, checked by the server before it is saved).
import { api, enc } from './api.js';
import { h, add, clear, shortJson, when } from './dom.js';
import {
  notify,
  saved,
  field,
  openDialog,
  showRefusal,
  refusalText,
  jsonArea,
  readJson,
  localProblem,
  confirmDelete,
  readOnlyTitle,
} from './ui.js';

export function flagsPage(state) {
  const filter = h('input', {
    type: 'search',
    id: 'flag-filter',
    placeholder: 'Filter flags',
    'aria-label': 'Filter flags',
  });
  const create = h(
    'button',
    { type: 'button', class: 'primary', id: 'new-flag', disabled: !state.canEdit, title: readOnlyTitle(state.canEdit) },
    'New flag',
  );
  const table = h('div', { class: 'table-wrap' });
  const el = h('section', {}, h('div', { class: 'toolbar' }, filter, create), table);
  filter.addEventListener('input', () => update());
  create.addEventListener('click', () => (state.flagd ? editFlagd(state, null) : editNative(state, null)));

  function update() {
    clear(table);
    if (!state.doc) return;
    const q = filter.value.trim().toLowerCase();
    const flags = listFlags(state.doc).filter(
      (f) => !q || [f.key, f.flag.name, f.flag.description].some((s) => s && String(s).toLowerCase().includes(q)),
    );
    add(table, state.flagd ? flagdTable(state, flags) : nativeTable(state, flags));
  }
  return { el, update };
}

function listFlags(doc) {
  if (Array.isArray(doc.flags)) return doc.flags.map((f) => ({ key: f.key, flag: f }));
  return Object.entries(doc.flags || {}).map(([key, flag]) => ({ key, flag }));
}

function lastChange(state, kind, key) {
  return state.history.find((c) => c.items.some((i) => i.kind === kind && i.key === key));
}

function changedCell(state, key) {
  const c = lastChange(state, 'flag', key);
  return h('td', { class: 'changed' }, c ? [h('div', {}, c.principal), h('div', { class: 'muted' }, when(c.at))] : '—');
}

function nativeTable(state, flags) {
  const head = ['Key', 'Name', 'Description', 'State', 'Rollout', 'Environments', 'Min role', 'Targeting', 'Expires', 'Last changed', ''];
  const rows = flags.map(({ key, flag }) => {
    const on = flag.defaultValue === true;
    const expired = flag.expiresAt && new Date(flag.expiresAt) < new Date();
    const rollout = flag.rolloutPercentage ?? 100;
    const slider = h('input', {
      type: 'range',
      min: 0,
      max: 100,
      step: 1,
      class: 'rollout',
      'aria-label': `Rollout of ${key}`,
      disabled: !state.canEdit,
      title: readOnlyTitle(state.canEdit),
    });
    slider.value = String(rollout);
    const label = h('span', { class: 'pct' }, `${rollout}%`);
    slider.addEventListener('input', () => (label.textContent = `${slider.value}%`));
    slider.addEventListener('change', () =>
      write(state, key, { ...flag, rolloutPercentage: Number(slider.value) }, `${key}: rollout ${slider.value}%`),
    );
    return h(
      'tr',
      { 'data-key': key },
      h('td', { class: 'key' }, h('code', {}, key)),
      h('td', { class: 'name' }, flag.name || ''),
      h('td', { class: 'desc' }, flag.description || ''),
      h('td', {}, toggle(state, on, () => write(state, key, { ...flag, defaultValue: !on }, `${key} switched ${on ? 'off' : 'on'}`))),
      h('td', { class: 'rollout-cell' }, slider, label),
      h('td', {}, (flag.environments || []).join(', ') || 'all'),
      h('td', {}, flag.minRole || '—'),
      h('td', {}, flag.targeting ? 'yes' : '—'),
      h('td', { class: expired ? 'expired' : '' }, flag.expiresAt ? [flag.expiresAt.slice(0, 10), expired ? ' expired' : ''] : '—'),
      changedCell(state, key),
      h('td', { class: 'row-actions' }, rowActions(state, 'flag', key, () => editNative(state, key))),
    );
  });
  return tableOf(head, rows, 'flags');
}

function flagdTable(state, flags) {
  const head = ['Key', 'State', 'Default variant', 'Variants', 'Targeting', 'Last changed', ''];
  const rows = flags.map(({ key, flag }) => {
    const on = flag.state === 'ENABLED';
    return h(
      'tr',
      { 'data-key': key },
      h('td', { class: 'key' }, h('code', {}, key)),
      h('td', {}, toggle(state, on, () => write(state, key, { ...flag, state: on ? 'DISABLED' : 'ENABLED' }, `${key} ${on ? 'disabled' : 'enabled'}`))),
      h('td', {}, flag.defaultVariant || '—'),
      h('td', { class: 'json-cell' }, shortJson(flag.variants)),
      h('td', {}, flag.targeting && Object.keys(flag.targeting).length ? 'yes' : '—'),
      changedCell(state, key),
      h('td', { class: 'row-actions' }, rowActions(state, 'flag', key, () => editFlagd(state, key))),
    );
  });
  return tableOf(head, rows, 'flags');
}

export function tableOf(head, rows, id) {
  // Each cell carries its column name, so a phone-width screen can show rows as labelled cards.
  for (const r of rows) [...r.children].forEach((td, i) => head[i] && td.setAttribute('data-label', head[i]));
  return h(
    'table',
    { class: 'grid', id },
    h('thead', {}, h('tr', {}, head.map((t) => h('th', {}, t)))),
    h('tbody', {}, rows.length ? rows : h('tr', {}, h('td', { colspan: head.length, class: 'muted' }, 'Nothing here yet.'))),
  );
}

function toggle(state, on, onClick) {
  const b = h(
    'button',
    {
      type: 'button',
      class: `toggle ${on ? 'on' : 'off'}`,
      role: 'switch',
      'aria-checked': on ? 'true' : 'false',
      disabled: !state.canEdit,
      title: readOnlyTitle(state.canEdit),
    },
    on ? 'on' : 'off',
  );
  b.addEventListener('click', onClick);
  return b;
}

export function rowActions(state, what, key, onEdit, path = `/v1/admin/flags/${enc(key)}`) {
  return [
    h('button', { type: 'button', class: 'edit', onclick: onEdit }, state.canEdit ? 'Edit' : 'View'),
    h(
      'button',
      {
        type: 'button',
        class: 'delete danger-link',
        disabled: !state.canEdit,
        title: readOnlyTitle(state.canEdit),
        onclick: () =>
          confirmDelete(what, key, async () => {
            const r = await api('DELETE', path, { ifMatch: state.version });
            notify('ok', `Deleted ${key} (version ${r.version}).`);
            state.refresh();
          }),
      },
      'Delete',
    ),
  ];
}

async function write(state, key, flag, what) {
  const body = { ...flag };
  delete body.key;
  try {
    const r = await api('PUT', `/v1/admin/flags/${enc(key)}`, { body, ifMatch: state.version });
    notify('ok', `Saved: ${what} (version ${r.version}).`);
  } catch (err) {
    notify('error', refusalText(err));
  }
  state.refresh();
}

function findFlag(state, key) {
  const f = listFlags(state.doc).find((x) => x.key === key);
  return f ? f.flag : null;
}

function editNative(state, key) {
  const base = state.version;
  const flag = key ? { ...findFlag(state, key) } : { defaultValue: false };
  const roles = Array.isArray(state.doc.roles) ? state.doc.roles : [];
  openDialog(key ? `Flag ${key}` : 'New flag', (d) => {
    const keyIn = h('input', { type: 'text', name: 'key', required: true, disabled: !!key });
    keyIn.value = key || '';
    const name = h('input', { type: 'text', name: 'name' });
    name.value = flag.name || '';
    const desc = h('textarea', { name: 'description', rows: 2 });
    desc.value = flag.description || '';
    const on = h('input', { type: 'checkbox', name: 'defaultValue', checked: flag.defaultValue === true });
    const rollout = h('input', { type: 'number', name: 'rolloutPercentage', min: 0, max: 100, step: 'any' });
    rollout.value = flag.rolloutPercentage ?? '';
    const envs = h('input', { type: 'text', name: 'environments', placeholder: 'all' });
    envs.value = (flag.environments || []).join(', ');
    const minRole = h('select', { name: 'minRole' }, h('option', { value: '' }, '(none)'), roles.map((r) => h('option', { value: r }, r)));
    minRole.value = flag.minRole || '';
    const expires = h('input', { type: 'text', name: 'expiresAt', placeholder: '2027-01-31T00:00:00Z' });
    expires.value = flag.expiresAt || '';
    const variant = h('input', { type: 'text', name: 'variant' });
    variant.value = flag.variant || '';
    const targeting = jsonArea(flag.targeting, 'targeting', 8);
    add(d.body, [
      field('Key', keyIn, 'key'),
      field('Name', name, 'name'),
      field('Description', desc, 'description'),
      h('label', { class: 'field inline', 'data-field': 'defaultValue' }, on, h('span', {}, 'On'), h('div', { class: 'problems' })),
      field('Rollout %', rollout, 'rolloutPercentage', 'empty = everyone'),
      field('Environments', envs, 'environments', 'comma-separated; empty = all'),
      field('Min role', minRole, 'minRole'),
      field('Expires at', expires, 'expiresAt', 'ISO-8601 instant; empty = never'),
      field('Variant', variant, 'variant'),
      field('Targeting (JSON Logic)', targeting, 'targeting', 'empty = no rule'),
    ]);
    const save = h('button', { type: 'submit', class: 'primary', disabled: !state.canEdit }, 'Save');
    save.addEventListener('click', async () => {
      const k = keyIn.value.trim();
      if (!k) return localProblem(d, 'key', 'A key is needed.');
      const body = { ...flag };
      delete body.key;
      body.defaultValue = on.checked;
      setOrDelete(body, 'name', name.value.trim());
      setOrDelete(body, 'description', desc.value.trim());
      setOrDelete(body, 'rolloutPercentage', rollout.value === '' ? '' : Number(rollout.value));
      const envList = envs.value.split(',').map((s) => s.trim()).filter(Boolean);
      setOrDelete(body, 'environments', envList.length ? envList : '');
      setOrDelete(body, 'minRole', minRole.value);
      setOrDelete(body, 'expiresAt', expires.value.trim());
      setOrDelete(body, 'variant', variant.value.trim());
      try {
        setOrDelete(body, 'targeting', readJson(targeting, 'Targeting') ?? '');
      } catch (e) {
        return localProblem(d, 'targeting', e.message);
      }
      try {
        saved(await api('PUT', `/v1/admin/flags/${enc(k)}`, { body, ifMatch: base }));
        d.close();
        state.refresh();
      } catch (err) {
        showRefusal(d, err);
      }
    });
    add(d.actions, [h('button', { type: 'button', onclick: () => d.close() }, 'Close'), save]);
  });
}

function editFlagd(state, key) {
  const base = state.version;
  const flag = key ? { ...findFlag(state, key) } : { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };
  openDialog(key ? `Flag ${key}` : 'New flag', (d) => {
    const keyIn = h('input', { type: 'text', name: 'key', disabled: !!key });
    keyIn.value = key || '';
    const st = h('select', { name: 'state' }, h('option', { value: 'ENABLED' }, 'ENABLED'), h('option', { value: 'DISABLED' }, 'DISABLED'));
    st.value = flag.state || 'ENABLED';
    const dv = h('input', { type: 'text', name: 'defaultVariant' });
    dv.value = flag.defaultVariant || '';
    const variants = jsonArea(flag.variants, 'variants', 5);
    const targeting = jsonArea(flag.targeting, 'targeting', 8);
    add(d.body, [
      field('Key', keyIn, 'key'),
      field('State', st, 'state'),
      field('Default variant', dv, 'defaultVariant'),
      field('Variants (JSON object)', variants, 'variants'),
      field('Targeting (JSON Logic)', targeting, 'targeting', 'empty = no rule'),
    ]);
    const save = h('button', { type: 'submit', class: 'primary', disabled: !state.canEdit }, 'Save');
    save.addEventListener('click', async () => {
      const k = keyIn.value.trim();
      if (!k) return localProblem(d, 'key', 'A key is needed.');
      const body = { ...flag, state: st.value, defaultVariant: dv.value.trim() };
      try {
        body.variants = readJson(variants, 'Variants', false);
        setOrDelete(body, 'targeting', readJson(targeting, 'Targeting') ?? '');
      } catch (e) {
        return localProblem(d, e.message.startsWith('Variants') ? 'variants' : 'targeting', e.message);
      }
      try {
        saved(await api('PUT', `/v1/admin/flags/${enc(k)}`, { body, ifMatch: base }));
        d.close();
        state.refresh();
      } catch (err) {
        showRefusal(d, err);
      }
    });
    add(d.actions, [h('button', { type: 'button', onclick: () => d.close() }, 'Close'), save]);
  });
}

export function setOrDelete(obj, name, value) {
  if (value === '' || value === undefined || value === null) delete obj[name];
  else obj[name] = value;
}

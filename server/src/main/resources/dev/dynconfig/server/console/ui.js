// Shared pieces of the pages: the status line, dialogs, form fields, and showing a refusal.
import { h, add, clear } from './dom.js';

export function notify(kind, text) {
  const bar = document.getElementById('status');
  if (!bar) return;
  bar.className = `status ${kind}`;
  bar.textContent = text;
}

export function saved(result) {
  notify('ok', `Saved (version ${result.version}).`);
}

/** A labelled input with a place for the server's problems about it. */
export function field(label, input, name, hint) {
  return h(
    'label',
    { class: 'field', 'data-field': name },
    h('span', { class: 'label' }, label),
    input,
    hint ? h('span', { class: 'hint' }, hint) : null,
    h('div', { class: 'problems', role: 'alert' }),
  );
}

/** Opens a modal dialog; {@code build(body)} fills it; returns the dialog's handle. */
export function openDialog(title, build) {
  const general = h('div', { class: 'problems general', role: 'alert' });
  const body = h('div', { class: 'dialog-body' });
  const actions = h('div', { class: 'actions' });
  const dlg = h(
    'dialog',
    { class: 'dialog' },
    h('h2', {}, title),
    general,
    body,
    actions,
  );
  const handle = {
    el: dlg,
    body,
    actions,
    general,
    close() {
      dlg.close();
      dlg.remove();
    },
  };
  build(handle);
  document.body.append(dlg);
  dlg.addEventListener('cancel', () => dlg.remove());
  dlg.showModal();
  return handle;
}

/** Shows an API refusal in a dialog: problems next to their fields, or a general message. */
export function showRefusal(handle, err) {
  for (const box of handle.el.querySelectorAll('.problems')) clear(box);
  const problems = (err.body && err.body.problems) || [];
  let placed = 0;
  for (const p of problems) {
    const text = `${p.path}: ${p.value == null ? '' : p.value + ' — '}${p.reason}`;
    const target = [...handle.el.querySelectorAll('[data-field]')].find((f) =>
      new RegExp(`[.\\]]${escapeRegExp(f.dataset.field)}([.\\[]|$)`).test(p.path),
    );
    const box = target ? target.querySelector('.problems') : handle.general;
    add(box, h('div', { class: 'problem' }, text));
    placed++;
  }
  if (!placed) add(handle.general, h('div', { class: 'problem' }, refusalText(err)));
  notify('error', refusalText(err));
}

export function refusalText(err) {
  if (err.status === 409) return `Refused (409 conflict): ${err.message}`;
  if (err.status === 403) return `Refused (403 not allowed): ${err.message}`;
  if (err.status === 400) return `Refused (400): ${err.message}`;
  return `Refused (${err.status || 'network'}): ${err.message}`;
}

function escapeRegExp(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A JSON textarea; {@code read()} returns the parsed value or throws with a readable message. */
export function jsonArea(value, name, rows = 6) {
  const area = h('textarea', { name, rows, spellcheck: 'false', class: 'json' });
  area.value = value === undefined ? '' : JSON.stringify(value, null, 2);
  return area;
}

export function readJson(area, what, allowEmpty = true) {
  const text = area.value.trim();
  if (!text) {
    if (allowEmpty) return undefined;
    throw new Error(`${what}: a JSON value is needed`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} is not valid JSON: ${e.message}`);
  }
}

/** Shows a problem found before sending (bad JSON, allocation not 100) next to its field. */
export function localProblem(handle, name, text) {
  for (const box of handle.el.querySelectorAll('.problems')) clear(box);
  const f = handle.el.querySelector(`[data-field="${name}"] .problems`);
  add(f || handle.general, h('div', { class: 'problem' }, text));
}

/** Delete with the key typed again, so a slip of the mouse cannot delete. */
export function confirmDelete(what, key, onConfirm) {
  openDialog(`Delete ${what}`, (d) => {
    const input = h('input', { type: 'text', name: 'confirm', autocomplete: 'off' });
    const del = h('button', { class: 'danger', type: 'button', disabled: true }, 'Delete');
    input.addEventListener('input', () => (del.disabled = input.value !== key));
    add(d.body, [
      h('p', {}, `Type `, h('code', {}, key), ` to delete this ${what}.`),
      field('Key', input, 'confirm'),
    ]);
    del.addEventListener('click', async () => {
      try {
        await onConfirm();
        d.close();
      } catch (err) {
        showRefusal(d, err);
      }
    });
    add(d.actions, [h('button', { type: 'button', onclick: () => d.close() }, 'Cancel'), del]);
  });
}

export function readOnlyTitle(canEdit) {
  return canEdit ? null : 'Read-only: your role cannot change this';
}

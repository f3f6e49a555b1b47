// The console's shell: sign-in, navigation, the live document (WebSocket /v1/stream with the
// session cookie) and the history every page reads from.
import { api, setCsrf, ApiError } from './api.js';
import { h, add, clear } from './dom.js';
import { notify, field } from './ui.js';
import { flagsPage } from './flags.js';
import { testsPage } from './tests.js';
import { configPage } from './config.js';
import { historyPage } from './history.js';
import { fleetPage } from './fleet.js';

const PAGES = {
  flags: { title: 'Flags', page: flagsPage },
  tests: { title: 'A/B tests', page: testsPage },
  config: { title: 'Config', page: configPage },
  history: { title: 'History', page: historyPage },
  fleet: { title: 'Fleet', page: fleetPage },
};

export const state = {
  me: null,
  doc: null,
  version: 0,
  history: [],
  get canEdit() {
    return this.me && (this.me.role === 'editor' || this.me.role === 'admin');
  },
  get flagd() {
    return !!this.doc && this.doc.flags && !Array.isArray(this.doc.flags);
  },
  /** Called after a write: pick up the result now rather than wait for the stream. */
  refresh: () => loadAll(),
};

let current = null;
let socket = null;
let retry = 0;
const root = document.getElementById('app');

async function boot() {
  try {
    const me = await api('GET', '/v1/session');
    signedIn(me);
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signInForm();
    else showFatal(e);
  }
}

function signInForm(message) {
  closeLive();
  clear(root);
  const token = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true });
  const err = h('div', { class: 'problems general', role: 'alert' }, message || null);
  const form = h(
    'form',
    { class: 'signin', id: 'signin' },
    h('h1', {}, 'dynconfig'),
    h('p', { class: 'muted' }, 'Sign in with your token.'),
    err,
    field('Token', token, 'token'),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clear(err);
    try {
      const me = await api('POST', '/v1/session', { body: { token: token.value } });
      token.value = '';
      signedIn(me);
    } catch (e) {
      token.value = '';
      add(err, e.status === 401 ? 'Unknown token.' : e.message);
    }
  });
  add(root, form);
  token.focus();
}

function signedIn(me) {
  state.me = me;
  setCsrf(me.csrf);
  clear(root);
  const nav = h('nav', { class: 'nav', 'aria-label': 'Sections' });
  for (const [id, p] of Object.entries(PAGES)) {
    add(nav, h('a', { href: `#${id}`, 'data-page': id }, p.title));
  }
  const live = h('span', { class: 'live', id: 'live', title: 'Live updates' }, 'connecting…');
  const signOut = h('button', { type: 'button', class: 'link', id: 'signout' }, 'Sign out');
  signOut.addEventListener('click', async () => {
    try {
      await api('DELETE', '/v1/session');
    } catch {
      // signed out either way
    }
    setCsrf(null);
    state.me = null;
    signInForm('Signed out.');
  });
  add(root, [
    h(
      'header',
      { class: 'top' },
      h('span', { class: 'brand' }, 'dynconfig'),
      nav,
      h(
        'span',
        { class: 'who' },
        live,
        h('span', { id: 'principal' }, me.principal),
        h('span', { class: 'role' }, me.role),
        signOut,
      ),
    ),
    h('div', { id: 'status', class: 'status', role: 'status', 'aria-live': 'polite' }),
    h('main', { id: 'main' }),
  ]);
  window.onhashchange = route;
  loadAll().then(route);
  openLive();
}

function route() {
  const id = (location.hash || '#flags').slice(1);
  const entry = PAGES[id] || PAGES.flags;
  for (const a of document.querySelectorAll('.nav a')) {
    a.classList.toggle('active', a.dataset.page === (PAGES[id] ? id : 'flags'));
  }
  const main = document.getElementById('main');
  if (!main) return;
  clear(main);
  current = entry.page(state);
  add(main, current.el);
  current.update();
}

async function loadAll() {
  try {
    const [doc, hist] = await Promise.all([
      api('GET', '/v1/flags'),
      api('GET', '/v1/admin/history?limit=200'),
    ]);
    const v = docVersion(doc);
    if (v >= state.version) {
      state.doc = doc;
      state.version = v;
    }
    state.history = hist.changes;
    if (current) current.update();
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) signInForm('Your session ended. Sign in again.');
    else notify('error', `Could not load: ${e.message}`);
  }
}

function docVersion(doc) {
  if (typeof doc.version === 'number') return doc.version;
  const m = doc.metadata && doc.metadata.version;
  return m ? Number(m) : 0;
}

function openLive() {
  closeLive();
  const proto = location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${proto}://${location.host}/v1/stream?version=${state.version}`);
  socket = ws;
  const badge = () => document.getElementById('live');
  ws.onopen = () => {
    retry = 0;
    const b = badge();
    if (b) {
      b.textContent = 'live';
      b.className = 'live on';
    }
  };
  ws.onmessage = async (ev) => {
    let msg;
    try {
      msg = JSON.parse(ev.data);
    } catch {
      return;
    }
    if (msg.type !== 'snapshot' || msg.version <= state.version) return;
    state.doc = msg.document;
    state.version = msg.version;
    if (current) current.update();
    try {
      state.history = (await api('GET', '/v1/admin/history?limit=200')).changes;
      if (current) current.update();
    } catch {
      // the next change brings it
    }
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    const b = badge();
    if (b) {
      b.textContent = 'reconnecting…';
      b.className = 'live';
    }
    retry = Math.min(retry + 1, 5);
    setTimeout(async () => {
      if (socket !== ws || !state.me) return;
      try {
        await api('GET', '/v1/session');
        openLive();
        loadAll();
      } catch (e) {
        if (e instanceof ApiError && e.status === 401) signInForm('Your session ended. Sign in again.');
        else openLive();
      }
    }, 500 * 2 ** retry);
  };
}

function closeLive() {
  if (socket) {
    const s = socket;
    socket = null;
    s.close();
  }
}

function showFatal(e) {
  clear(root);
  add(root, h('p', { class: 'problems general' }, `The console could not start: ${e.message}`));
}

boot();

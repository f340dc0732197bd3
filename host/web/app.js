// Revenant web client: login, session list, and one terminal attached over a WebSocket.
// Plain ES2020, no build step. Runs after xterm.js and its addons (UMD globals: Terminal,
// FitAddon.FitAddon, WebLinksAddon.WebLinksAddon). The CSP forbids inline script, so every
// handler is attached here.
(() => {
  'use strict';

  const $ = (id) => document.getElementById(id);
  const el = {
    loginView: $('login-view'), listView: $('list-view'), termView: $('term-view'),
    loginForm: $('login-form'), token: $('token'), loginError: $('login-error'),
    sessions: $('sessions'), newForm: $('new-form'), newName: $('new-name'), newLayout: $('new-layout'),
    terminal: $('terminal'), status: $('status'), statusText: $('status-text'), statusNote: $('status-note'),
    back: $('back'), title: $('title'),
  };

  const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 10000]; // the last delay repeats
  const STABLE_MS = 5000; // a connection that lived this long resets the backoff
  const LIST_REFRESH_MS = 5000;
  const FINAL_EXIT_DELAY_MS = 1500;
  const LOGIN_GONE = 'Your login expired or was revoked: sign in again.';
  const encoder = new TextEncoder();

  let view = null;          // 'login' | 'list' | 'term'
  let ws = null;            // the live socket; handlers of replaced sockets compare against it
  let currentName = null;   // the session shown in the terminal view
  let finalExit = false;    // the server said not to reconnect
  let attempt = 0;          // index into BACKOFF_MS
  let reconnectTimer = null, countdownTimer = null, listTimer = null, noteTimer = null, resizeTimer = null;
  let listSeq = 0;          // drops list responses that arrive after a newer request was made
  let listErrorShown = false;
  let termOpened = false;
  const probes = new Set();
  const stats = { connects: 0, reconnects: 0, bytesIn: 0, bytesOut: 0, controlIn: 0, lastClose: null };

  // ---- terminal ----

  const term = new Terminal({
    allowProposedApi: true, cursorBlink: true, fontFamily: 'monospace', scrollback: 0, macOptionIsMeta: true,
    linkHandler: { activate: (e, uri) => openLink(uri) }, // OSC 8 hyperlinks
  });
  const fitAddon = new FitAddon.FitAddon();
  term.loadAddon(fitAddon);
  term.loadAddon(new WebLinksAddon.WebLinksAddon((e, uri) => openLink(uri)));

  // Links come from whatever runs in the terminal: open web links only, never javascript: or data:.
  function openLink(uri) {
    let url;
    try { url = new URL(uri); } catch { return; }
    if (['http:', 'https:', 'mailto:'].includes(url.protocol)) window.open(url.href, '_blank', 'noopener');
  }

  function fit() {
    if (!termOpened || view !== 'term') return;
    try { fitAddon.fit(); } catch { /* not laid out yet */ }
  }

  // Mobile: an on-screen keyboard shrinks the visual viewport but not the layout one, so size the
  // page to the visual viewport (times its zoom, so a pinch zoom does not shrink the terminal).
  function onViewportResize() {
    const vv = window.visualViewport;
    if (vv) document.body.style.height = `${Math.round(vv.height * vv.scale)}px`;
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(fit, 50);
  }

  // Input always travels as binary messages; text messages are reserved for control JSON.
  const isOpen = () => ws !== null && ws.readyState === WebSocket.OPEN;
  function send(bytes) {
    if (!isOpen()) return false;
    ws.send(bytes);
    stats.bytesOut += bytes.length;
    return true;
  }
  const sendControl = (msg) => { if (isOpen()) ws.send(JSON.stringify(msg)); };
  term.onData((s) => send(encoder.encode(s)));
  term.onBinary((s) => send(Uint8Array.from(s, (c) => c.charCodeAt(0))));
  term.onResize(({ cols, rows }) => sendControl({ type: 'resize', cols, rows }));

  // ---- connection ----

  function connect(name) {
    dropSocket();
    clearReconnect();
    rejectProbes('reconnecting');
    currentName = name;
    finalExit = false;
    // The server redraws everything on a new connection, so start from a clean terminal (this
    // also clears modes, such as mouse tracking, that the previous connection turned on).
    term.reset();
    term.options.disableStdin = false;
    fit();
    setStatus('connecting');
    stats.connects++;
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const sock = new WebSocket(`${scheme}${location.host}/ws/${encodeURIComponent(name)}?cols=${term.cols}&rows=${term.rows}`);
    sock.binaryType = 'arraybuffer';
    ws = sock;
    let openedAt = 0;
    sock.onopen = () => {
      if (ws !== sock) return;
      openedAt = performance.now();
      setStatus('connected');
      sendControl({ type: 'resize', cols: term.cols, rows: term.rows });
      term.focus();
    };
    sock.onmessage = (ev) => {
      if (ws !== sock) return;
      if (typeof ev.data === 'string') return onControl(ev.data);
      stats.bytesIn += ev.data.byteLength;
      term.write(new Uint8Array(ev.data));
    };
    sock.onclose = (ev) => {
      if (ws !== sock) return; // we replaced or dropped it ourselves
      ws = null;
      onClose(name, ev, openedAt);
    };
  }

  function onClose(name, ev, openedAt) {
    stats.lastClose = { code: ev.code, reason: ev.reason };
    rejectProbes('connection closed');
    if (view !== 'term') return;
    if (ev.code === 4001) return showLogin(LOGIN_GONE);
    if (ev.code === 4003) return endSession(`forbidden${ev.reason ? `: ${ev.reason}` : ''}`);
    if (finalExit) return;
    if (openedAt && performance.now() - openedAt >= STABLE_MS) attempt = 0;
    if (openedAt) scheduleReconnect(name);
    else checkBeforeRetry(name);
  }

  // The socket never opened: the upgrade may have been refused with an HTTP status, which a
  // page cannot read. Ask the API why before retrying, so a dead link does not retry forever.
  async function checkBeforeRetry(name) {
    let res = null;
    try { res = await api('GET', '/api/sessions'); } catch { /* server down: retry below */ }
    const list = res && res.ok ? await res.json().catch(() => null) : null;
    if (view !== 'term' || currentName !== name || ws || reconnectTimer || finalExit) return; // moved on
    if (res && res.status === 401) return showLogin(LOGIN_GONE);
    const s = Array.isArray(list) ? list.find((x) => x && x.name === name) : undefined;
    if (Array.isArray(list) && !s) return endSession(`no session named "${name}"`);
    if (s && s.state === 'exited') return endSession(`session "${name}" has exited`);
    scheduleReconnect(name);
  }

  function scheduleReconnect(name) {
    clearReconnect();
    const delay = BACKOFF_MS[Math.min(attempt++, BACKOFF_MS.length - 1)];
    stats.reconnects++;
    const due = performance.now() + delay;
    const tick = () => {
      const left = Math.max(0, due - performance.now());
      setStatus(`reconnecting in ${left >= 950 ? Math.ceil(left / 1000) : (left / 1000).toFixed(1)}s`);
    };
    tick();
    countdownTimer = setInterval(tick, 250);
    reconnectTimer = setTimeout(() => connect(name), delay);
  }

  function clearReconnect() {
    clearTimeout(reconnectTimer);
    clearInterval(countdownTimer);
    reconnectTimer = countdownTimer = null;
  }

  // Back/forward cache restore or network change: the old socket is dead or stale.
  function reconnectNow() {
    if (view === 'list') return refreshList();
    if (view !== 'term' || !currentName || finalExit) return;
    attempt = 0;
    connect(currentName);
  }

  function dropSocket() {
    const sock = ws;
    ws = null; // first, so that its onclose is ignored
    if (sock && sock.readyState <= WebSocket.OPEN) sock.close(1000);
  }

  // No reconnect; back to the list after a moment, leaving the reason in the status line.
  function endSession(reason) {
    finalExit = true;
    clearReconnect();
    setStatus(reason);
    const name = currentName;
    setTimeout(() => {
      if (view === 'term' && currentName === name && finalExit) location.hash = '#/';
    }, FINAL_EXIT_DELAY_MS);
  }

  function onControl(text) {
    stats.controlIn++;
    let msg;
    try { msg = JSON.parse(text); } catch { return; }
    const session = msg && typeof msg.session === 'string' && msg.session ? msg.session : null;
    switch (msg && msg.type) {
      case 'welcome':
        if (session && session !== currentName) { currentName = session; setSessionHash(session); }
        term.options.disableStdin = !!msg.read_only;
        setStatus(msg.read_only ? 'read-only' : 'connected');
        break;
      case 'exit': {
        const reason = typeof msg.reason === 'string' && msg.reason ? msg.reason : 'disconnected';
        if (msg.final) endSession(reason);
        else setStatus(reason); // the server closes next, and onClose reconnects
        break;
      }
      case 'switch': // the session manager moved this client to another session
        if (session) { setSessionHash(session); attempt = 0; connect(session); }
        break;
      case 'copy':
        copyText(typeof msg.text === 'string' ? msg.text : '');
        break;
      default: // unknown messages are ignored, so the server can add new ones
    }
  }

  // replaceState changes the URL without a hashchange event (we reconnect ourselves) and keeps
  // Back pointing at the list rather than at the session we were moved away from.
  function setSessionHash(name) {
    el.title.textContent = name;
    history.replaceState(null, '', `#/s/${encodeURIComponent(name)}`);
  }

  // ---- clipboard (OSC 52 and copy mode) ----

  function copyText(text) {
    const count = Array.from(text).length;
    const write = () => (navigator.clipboard ? navigator.clipboard.writeText(text) : Promise.reject(new Error('no clipboard')));
    write().then(() => note(`copied ${count} characters`), () => {
      // Without a recent user gesture the browser refuses: offer a button, whose click is one.
      $('copy-pending')?.remove();
      const btn = document.createElement('button');
      btn.type = 'button';
      btn.id = 'copy-pending';
      btn.textContent = `Copy ${count} characters`;
      btn.addEventListener('click', () => {
        btn.remove();
        write().then(() => note(`copied ${count} characters`), () => note('copy failed'));
        term.focus();
      });
      el.status.append(btn);
    });
  }

  // ---- latency probe for tests ----

  // Sends `ch` as input and resolves with the milliseconds until its echo is drawn: the first
  // parsed write after which `ch` occurs more often, from the cursor position at send time to the
  // end of the active buffer, than it did at send time (so copies already on screen don't count).
  function echoProbe(ch, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const buf = term.buffer.active;
      const p = { ch, row: buf.baseY + buf.cursorY, col: buf.cursorX, resolve };
      p.baseline = countFromCursor(p);
      p.fail = (why) => { probes.delete(p); clearTimeout(p.timer); reject(new Error(why)); };
      p.timer = setTimeout(() => p.fail('echo probe timed out'), timeoutMs);
      probes.add(p);
      p.t0 = performance.now();
      if (!send(encoder.encode(ch))) p.fail('not connected');
    });
  }

  function countFromCursor(p) {
    const buf = term.buffer.active;
    let n = 0;
    for (let y = p.row; y < buf.length; y++) {
      const line = buf.getLine(y);
      if (line) n += line.translateToString(true, y === p.row ? p.col : 0).split(p.ch).length - 1;
    }
    return n;
  }

  term.onWriteParsed(() => {
    const now = performance.now();
    for (const p of probes) {
      if (countFromCursor(p) > p.baseline) { probes.delete(p); clearTimeout(p.timer); p.resolve(now - p.t0); }
    }
  });

  const rejectProbes = (why) => { for (const p of probes) p.fail(why); };

  // ---- HTTP API ----

  const api = (method, path, body) => fetch(path, body === undefined ? { method, credentials: 'same-origin' } : {
    method, credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });

  async function errorText(res) {
    const text = (await res.text().catch(() => '')).trim();
    return text || `HTTP ${res.status} ${res.statusText}`.trim();
  }

  // Retry-After is either seconds or an HTTP date.
  function retryAfter(value) {
    if (!value) return '';
    const secs = /^\d+$/.test(value.trim()) ? Number(value) : Math.ceil((Date.parse(value) - Date.now()) / 1000);
    return Number.isFinite(secs) && secs > 0 ? ` ${secs} s` : '';
  }

  // ---- views and routing ----

  function showView(name) {
    view = name;
    el.loginView.hidden = name !== 'login';
    el.listView.hidden = name !== 'list';
    el.termView.hidden = name !== 'term';
    el.back.hidden = name !== 'term';
    clearInterval(listTimer);
    listTimer = null;
    if (name !== 'term') leaveTerminal();
  }

  function leaveTerminal() {
    clearReconnect();
    dropSocket();
    rejectProbes('left the terminal');
    if (currentName !== null && !finalExit) setStatus(''); // keep a final exit's reason visible
    currentName = null;
    el.title.textContent = 'Revenant';
    $('copy-pending')?.remove();
  }

  function showLogin(message) {
    setStatus('');
    showView('login');
    el.loginError.textContent = message || '';
    el.token.focus();
  }

  function showList() {
    showView('list');
    refreshList();
    listTimer = setInterval(refreshList, LIST_REFRESH_MS);
  }

  function openTerminal(name) {
    if (view === 'term' && currentName === name && (ws || reconnectTimer)) return; // already there
    showView('term');
    if (!termOpened) { term.open(el.terminal); termOpened = true; }
    el.title.textContent = name;
    attempt = 0;
    connect(name);
  }

  // `#/s/NAME` is a session (so a reload or a shared link reopens it); anything else, the list.
  function route() {
    const m = /^#\/s\/(.+)$/.exec(location.hash);
    let name = null;
    try { name = m ? decodeURIComponent(m[1]) : null; } catch { /* malformed: show the list */ }
    if (name !== null) openTerminal(name);
    else showList();
  }

  function openSession(name) {
    const hash = `#/s/${encodeURIComponent(name)}`;
    if (location.hash === hash) route();
    else location.hash = hash; // route() runs on hashchange
  }

  function setStatus(text) {
    if (el.statusText.textContent !== text) el.statusText.textContent = text;
  }

  function note(text) {
    el.statusNote.textContent = text;
    clearTimeout(noteTimer);
    noteTimer = setTimeout(() => { el.statusNote.textContent = ''; }, 3000);
  }

  // ---- session list ----

  async function refreshList() {
    const seq = ++listSeq;
    const listError = (text) => { setStatus(text); listErrorShown = true; };
    let res;
    try { res = await api('GET', '/api/sessions'); } catch {
      if (view === 'list' && seq === listSeq) listError('server unreachable, retrying');
      return;
    }
    const list = res.ok ? await res.json().catch(() => null) : null;
    if (view !== 'list' || seq !== listSeq) return;
    if (res.status === 401) return showLogin();
    if (!res.ok) return listError(await errorText(res));
    if (!Array.isArray(list)) return listError('unexpected session list from the server');
    if (listErrorShown) { setStatus(''); listErrorShown = false; }
    const items = list.filter((s) => s && typeof s.name === 'string').map(renderSession);
    if (!items.length) items.push(make('li', 'empty', 'No sessions yet.'));
    el.sessions.replaceChildren(...items);
  }

  function make(tag, cls, text) {
    const e = document.createElement(tag);
    e.className = cls;
    e.textContent = text;
    return e;
  }

  function renderSession(s) {
    const state = s.state === 'exited' ? 'exited' : 'live'; // anything unknown counts as live
    const li = make('li', 'session', '');
    li.dataset.name = s.name;
    li.dataset.state = state;
    const btn = make('button', state === 'live' ? 'open' : 'resurrect', state === 'live' ? 'Open' : 'Resurrect');
    btn.type = 'button';
    li.append(make('span', 'name', s.name), make('span', 'state', state), make('span', 'details', describe(s)), btn);
    return li;
  }

  // Whatever other simple fields the server sends (clients, tabs, created, ...), as "key: value".
  function describe(s) {
    const simple = (v) => ['string', 'number', 'boolean'].includes(typeof v);
    return Object.entries(s)
      .filter(([k, v]) => k !== 'name' && k !== 'state' && (simple(v) || (Array.isArray(v) && v.every(simple))))
      .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`)
      .join(' · ');
  }

  // Shared handling of a POST that, when it succeeds, leads into a session.
  async function postThenOpen(path, body, fallbackName) {
    const res = await api('POST', path, body).catch(() => null);
    if (!res) return setStatus('server unreachable');
    if (res.status === 401) return showLogin();
    if (!res.ok) return setStatus(await errorText(res));
    const reply = await res.json().catch(() => null); // new: {"name": ...}; resurrect: maybe empty
    setStatus('');
    openSession(typeof reply?.name === 'string' && reply.name ? reply.name : fallbackName);
    return true;
  }

  el.sessions.addEventListener('click', async (ev) => {
    const btn = ev.target.closest('button');
    const li = btn && btn.closest('li.session');
    if (!li) return;
    const name = li.dataset.name;
    if (btn.classList.contains('open')) return openSession(name);
    if (!btn.classList.contains('resurrect')) return;
    btn.disabled = true;
    setStatus(`resurrecting ${name}…`);
    await postThenOpen(`/api/sessions/${encodeURIComponent(name)}/resurrect`, undefined, name);
    btn.disabled = false;
  });

  el.newForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const name = el.newName.value.trim();
    const layout = el.newLayout.value.trim();
    setStatus(`creating ${name}…`);
    if (await postThenOpen('/api/sessions', { name, layout: layout || null }, name)) el.newForm.reset();
  });

  // ---- login ----

  el.loginForm.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const submit = el.loginForm.querySelector('button[type="submit"]');
    el.loginError.textContent = '';
    submit.disabled = true;
    const res = await api('POST', '/login', { token: el.token.value.trim() }).catch(() => null);
    submit.disabled = false;
    if (!res) el.loginError.textContent = 'server unreachable';
    else if (res.ok) { el.token.value = ''; route(); } // the list, or the session in the URL
    else if (res.status === 401) el.loginError.textContent = 'wrong or expired token';
    else if (res.status === 429) el.loginError.textContent = `too many attempts, wait${retryAfter(res.headers.get('Retry-After'))}`;
    else el.loginError.textContent = await errorText(res);
  });

  // ---- startup ----

  window.addEventListener('hashchange', route);
  window.addEventListener('resize', onViewportResize);
  if (window.visualViewport) window.visualViewport.addEventListener('resize', onViewportResize);
  window.addEventListener('online', reconnectNow);
  window.addEventListener('pageshow', (ev) => { if (ev.persisted) reconnectNow(); });
  // Closing on the way into the back/forward cache keeps the page eligible for it and tells the
  // server at once; pageshow reconnects (currentName is kept so we know what to reopen).
  window.addEventListener('pagehide', (ev) => { if (ev.persisted) { clearReconnect(); dropSocket(); } });

  window.revenant = { term, socket: () => ws, session: () => currentName, stats, echoProbe, fit };

  (async () => {
    onViewportResize();
    let res = null;
    try { res = await api('GET', '/api/sessions'); } catch { /* route() shows the error */ }
    if (res && res.status === 401) showLogin();
    else route();
  })();
})();

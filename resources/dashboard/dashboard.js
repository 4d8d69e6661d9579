// The relay dashboard: streams grouped by forwarder, live over the SSE stream /api/v1/events.
// Data is only ever inserted as text (textContent, attributes), never parsed as HTML.
'use strict';

const TOKEN_KEY = 'pitwall.adminToken';
const MAX_BACKOFF_MS = 30000;
const COUNTERS = ['raw_count', 'dedup_count', 'retransmit_count', 'conflict_count', 'unique_chips'];

const streams = new Map();  // stream_id -> stream object of /api/v1/streams
const metrics = new Map();  // stream_id -> metrics, plus receivedAt (performance.now())
const rows = new Map();     // stream_id -> its <tbody>
const sections = new Map(); // forwarder_id -> its <section>

const $ = (id) => document.getElementById(id);
const field = (root, name) => root.querySelector(`[data-field="${name}"]`);
const streamPath = (id) => `/api/v1/streams/${encodeURIComponent(id)}`;
const streamName = (s) => s.display_alias || s.reader_ip;
const fileName = (s) => streamName(s).replace(/[^A-Za-z0-9._-]+/g, '_');

// --- HTTP -------------------------------------------------------------------------------------

// fetch with the admin token of this tab; a 401 asks for the token and tries again.
async function api(method, path, body) {
  for (let attempt = 0; ; attempt++) {
    const headers = {};
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) headers['X-Admin-Token'] = token;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status !== 401 || attempt >= 2) return response;
    sessionStorage.removeItem(TOKEN_KEY);
    const entered = await askToken(await errorText(response));
    if (!entered) return response;
    sessionStorage.setItem(TOKEN_KEY, entered);
  }
}

// The server's {"code","message"} envelope as one line, or the status when there is none.
async function errorText(response) {
  try {
    const envelope = await response.json();
    if (envelope && envelope.message) return `${envelope.message} (${response.status} ${envelope.code})`;
  } catch (ignored) { /* not JSON */ }
  return `HTTP ${response.status}`;
}

async function getJson(path) {
  const response = await api('GET', path);
  if (!response.ok) throw new Error(await errorText(response));
  return response.json();
}

function askToken(reason) {
  const dialog = $('token-dialog');
  $('token-reason').textContent =
    `The relay answered: ${reason}. Its admin token (ADMIN_TOKEN) is kept for this tab only.`;
  $('token-input').value = '';
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'ok' ? $('token-input').value.trim() : '');
    }, { once: true });
  });
}

// --- Data -------------------------------------------------------------------------------------

async function loadAll() {
  try {
    const list = (await getJson('/api/v1/streams')).streams;
    streams.clear();
    for (const s of list) streams.set(s.stream_id, s);
    await Promise.all(list.map((s) => loadMetrics(s.stream_id)));
    render();
  } catch (error) {
    notify(`Cannot load streams: ${error.message}`, true);
  }
}

async function loadMetrics(id) {
  try {
    updateMetrics(id, await getJson(`${streamPath(id)}/metrics`));
  } catch (error) {
    showRowError(id, `metrics: ${error.message}`);
  }
}

function updateMetrics(id, fields) {
  const merged = Object.assign(metrics.get(id) || {}, fields);
  if ('lag_ms' in fields) merged.receivedAt = performance.now();
  metrics.set(id, merged);
  if (rows.has(id)) fillMetrics(rows.get(id), merged);
}

// --- Live updates -----------------------------------------------------------------------------

let source = null;
let backoff = 1000;
let loaded = false;

function connect() {
  setConnection('connecting', 'Connecting…');
  source = new EventSource('/api/v1/events');
  source.addEventListener('open', () => {
    backoff = 1000;
    setConnection('live', 'Live');
    loadAll(); // whatever happened while we were away
    loaded = true;
  });
  source.addEventListener('error', () => {
    source.close();
    if (!loaded) { loadAll(); loaded = true; }
    let left = Math.round(backoff / 1000);
    setConnection('down', `Disconnected, retrying in ${left} s`);
    const countdown = setInterval(() => {
      left -= 1;
      if (left > 0) setConnection('down', `Disconnected, retrying in ${left} s`);
    }, 1000);
    setTimeout(() => { clearInterval(countdown); connect(); }, backoff);
    backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
  });
  for (const type of ['stream_created', 'stream_updated', 'metrics_updated', 'resync']) {
    source.addEventListener(type, (event) => handleEvent(type, event.data));
  }
}

function handleEvent(type, data) {
  let message;
  try { message = JSON.parse(data); } catch (ignored) { return; }
  const id = message.stream_id;
  if (type === 'resync') {
    loadAll();
  } else if (type === 'stream_created' || type === 'stream_updated') {
    if (!streams.has(id) && type === 'stream_updated') return loadAll();
    streams.set(id, Object.assign(streams.get(id) || {}, message));
    render();
  } else if (type === 'metrics_updated') {
    updateMetrics(id, message);
  }
}

function setConnection(state, text) {
  const badge = $('connection');
  badge.dataset.state = state;
  badge.textContent = text;
}

// --- Rendering --------------------------------------------------------------------------------

function render() {
  const hideOffline = $('hide-offline').checked;
  const groups = new Map();
  for (const s of [...streams.values()].sort((a, b) => String(a.created_at).localeCompare(b.created_at))) {
    if (!groups.has(s.forwarder_id)) groups.set(s.forwarder_id, []);
    groups.get(s.forwarder_id).push(s);
  }
  const container = $('forwarders');
  for (const [forwarderId, section] of sections) {
    if (!groups.has(forwarderId)) { section.remove(); sections.delete(forwarderId); }
  }
  for (const [id, row] of rows) {
    if (!streams.has(id)) { row.remove(); rows.delete(id); }
  }
  const ordered = [...groups.entries()].sort(([a, as], [b, bs]) =>
    (as[0].forwarder_display_name || a).localeCompare(bs[0].forwarder_display_name || b));
  for (const [forwarderId, list] of ordered) {
    const section = sectionFor(forwarderId);
    const online = list.filter((s) => s.online).length;
    field(section, 'name').textContent = list[0].forwarder_display_name || forwarderId;
    field(section, 'online').textContent = `${online}/${list.length} online`;
    section.hidden = hideOffline && online === 0;
    const table = section.querySelector('table');
    for (const s of list) {
      const row = rowFor(s.stream_id);
      fillStream(row, s);
      row.hidden = hideOffline && !s.online;
      table.appendChild(row); // moves it into place
    }
    container.appendChild(section);
  }
  $('empty').hidden = streams.size > 0;
}

function sectionFor(forwarderId) {
  if (!sections.has(forwarderId)) {
    sections.set(forwarderId, $('forwarder-template').content.firstElementChild.cloneNode(true));
  }
  return sections.get(forwarderId);
}

function rowFor(id) {
  if (rows.has(id)) return rows.get(id);
  const row = $('stream-template').content.firstElementChild.cloneNode(true);
  row.dataset.streamId = id;
  for (const format of ['csv', 'txt']) {
    row.querySelector(`[data-export="${format}"]`).href = `${streamPath(id)}/export.${format}`;
  }
  row.querySelector('[data-action="rename"]').addEventListener('click', () => startRename(id));
  row.querySelector('[data-action="reset"]').addEventListener('click', () => confirmReset(id));
  row.querySelector('[data-action="epochs"]').addEventListener('click', () => toggleEpochs(id));
  row.querySelector('.rename').addEventListener('submit', (event) => {
    event.preventDefault();
    finishRename(id, true);
  });
  const input = row.querySelector('.rename input');
  input.addEventListener('keydown', (event) => { if (event.key === 'Escape') finishRename(id, false); });
  input.addEventListener('blur', () => finishRename(id, true));
  rows.set(id, row);
  if (metrics.has(id)) fillMetrics(row, metrics.get(id));
  return row;
}

function fillStream(row, s) {
  field(row, 'name').textContent = streamName(s);
  field(row, 'reader-ip').textContent = s.display_alias ? s.reader_ip : '';
  const online = field(row, 'online');
  online.textContent = s.online ? 'online' : 'offline';
  online.className = s.online ? 'badge ok' : 'badge off';
  row.classList.toggle('offline', !s.online);
  field(row, 'reader').hidden = !s.online || s.reader_connected;
  const name = s.current_epoch_name ? ` · ${s.current_epoch_name}` : '';
  field(row, 'epoch').textContent = `${s.stream_epoch}${name}`;
  const pending = field(row, 'pending');
  pending.hidden = s.pending_epoch === null || s.pending_epoch === undefined;
  pending.textContent = `pending ${s.pending_epoch}`;
  for (const format of ['csv', 'txt']) {
    row.querySelector(`[data-export="${format}"]`).download = `${fileName(s)}.${format}`;
  }
}

function fillMetrics(row, m) {
  for (const name of COUNTERS) {
    field(row, name).textContent = m[name] === undefined ? '–' : Number(m[name]).toLocaleString();
  }
  field(row, 'conflict_count').classList.toggle('alert', m.conflict_count > 0);
  field(row, 'lag').textContent = formatLag(currentLag(m));
}

function currentLag(m) {
  if (m.lag_ms === null || m.lag_ms === undefined) return null;
  return m.lag_ms + (performance.now() - m.receivedAt);
}

function formatLag(ms) {
  if (ms === null) return '–';
  const seconds = Math.floor(ms / 1000);
  if (seconds < 10) return `${(ms / 1000).toFixed(1)} s`;
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} m ${String(seconds % 60).padStart(2, '0')} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, '0')} m`;
}

function tickLag() {
  for (const [id, row] of rows) {
    if (metrics.has(id)) field(row, 'lag').textContent = formatLag(currentLag(metrics.get(id)));
  }
}

function showRowError(id, text) {
  const box = rows.has(id) && field(rows.get(id), 'error');
  if (!box) return notify(text, true);
  box.textContent = text;
  box.hidden = !text;
}

function notify(text, isError) {
  const notice = $('notice');
  notice.textContent = text;
  notice.classList.toggle('error', Boolean(isError));
  notice.hidden = !text;
}

// --- Actions ----------------------------------------------------------------------------------

function startRename(id) {
  const row = rows.get(id);
  const form = row.querySelector('.rename');
  form.alias.value = streams.get(id).display_alias || '';
  form.hidden = false;
  field(row, 'name').hidden = true;
  form.alias.focus();
  form.alias.select();
}

async function finishRename(id, save) {
  const row = rows.get(id);
  const form = row.querySelector('.rename');
  if (form.hidden) return;
  form.hidden = true;
  field(row, 'name').hidden = false;
  const alias = form.alias.value.trim();
  if (!save || alias === (streams.get(id).display_alias || '')) return;
  const response = await api('PATCH', streamPath(id), { display_alias: alias });
  if (!response.ok) return showRowError(id, `Rename failed: ${await errorText(response)}`);
  showRowError(id, '');
  streams.get(id).display_alias = alias;
  render();
}

function confirmReset(id) {
  const s = streams.get(id);
  const dialog = $('reset-dialog');
  dialog.dataset.streamId = id;
  $('reset-stream').textContent = streamName(s);
  $('reset-next').textContent = String(s.pending_epoch ?? s.stream_epoch + 1);
  $('reset-error').hidden = true;
  $('reset-confirm').disabled = false;
  dialog.showModal();
}

async function resetEpoch() {
  const dialog = $('reset-dialog');
  const id = dialog.dataset.streamId;
  $('reset-confirm').disabled = true;
  const response = await api('POST', `${streamPath(id)}/reset-epoch`);
  if (response.ok) {
    dialog.close();
    notify(`Epoch reset requested for ${streamName(streams.get(id))}.`, false);
    await loadAll();
    return;
  }
  const error = $('reset-error');
  error.textContent = `Epoch not reset: ${await errorText(response)}`;
  error.hidden = false;
  $('reset-confirm').disabled = false;
}

async function toggleEpochs(id) {
  const row = rows.get(id);
  const button = row.querySelector('[data-action="epochs"]');
  const panel = row.querySelector('tr.epochs');
  panel.hidden = !panel.hidden;
  button.setAttribute('aria-expanded', String(!panel.hidden));
  if (panel.hidden) return;
  try {
    fillEpochs(id, panel.querySelector('tbody'), await getJson(`${streamPath(id)}/epochs`));
  } catch (error) {
    showRowError(id, `Epochs: ${error.message}`);
  }
}

function fillEpochs(id, body, epochs) {
  const cells = (tr, values) => values.forEach((value) => tr.insertCell().append(value));
  const time = (iso) => (iso ? new Date(iso).toLocaleString() : '–');
  body.replaceChildren();
  for (const e of epochs) {
    const links = document.createElement('span');
    for (const format of ['csv', 'txt']) {
      const link = document.createElement('a');
      link.href = `${streamPath(id)}/epochs/${e.epoch}/export.${format}`;
      link.download = `${fileName(streams.get(id))}-epoch-${e.epoch}.${format}`;
      link.textContent = format.toUpperCase();
      links.append(link, ' ');
    }
    const tr = body.insertRow();
    tr.classList.toggle('current', Boolean(e.is_current));
    cells(tr, [String(e.epoch), (e.name || '') + (e.is_current ? ' (current)' : ''),
      Number(e.event_count).toLocaleString(), time(e.first_event_at), time(e.last_event_at), links]);
    tr.cells[0].className = tr.cells[2].className = 'num';
  }
  if (epochs.length === 0) {
    cells(body.insertRow(), ['No epochs with events yet.']);
    body.rows[0].cells[0].colSpan = 6;
  }
}

// --- Start ------------------------------------------------------------------------------------

$('hide-offline').addEventListener('change', render);
for (const button of document.querySelectorAll('[data-close]')) {
  button.addEventListener('click', () => button.closest('dialog').close('cancel'));
}
$('reset-confirm').addEventListener('click', resetEpoch);
setInterval(tickLag, 1000);
connect();

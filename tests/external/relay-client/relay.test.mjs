// Pitwall's relay protocol checked with another WebSocket stack (Node's `ws`), the way a
// field forwarder or receiver talks to it. Needs PITWALL_URL (http://127.0.0.1:<port>) of a
// running daemon with an empty database; run by tests/integration/relaynodeclient.cpp.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';

const base = process.env.PITWALL_URL;
if (!base) throw new Error('PITWALL_URL is not set');
const wsBase = base.replace(/^http/, 'ws');
const readerIp = '192.168.50.1:10000';

async function provision(deviceType, deviceId, token) {
  const response = await fetch(`${base}/api/v1/admin/tokens`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ device_type: deviceType, device_id: deviceId, token }),
  });
  assert.equal(response.status, 201);
  return response.json();
}

// A connection that queues every parsed frame so tests can await the next one of a kind.
class Peer {
  constructor(path, token) {
    const headers = token === undefined ? {} : { Authorization: `Bearer ${token}` };
    this.ws = new WebSocket(`${wsBase}${path}`, { headers });
    this.frames = [];
    this.waiters = [];
    this.closed = new Promise((resolve) => this.ws.on('close', resolve));
    this.ws.on('message', (data, isBinary) => {
      assert.equal(isBinary, false, 'the relay sends text frames only');
      this.frames.push(JSON.parse(data.toString('utf8')));
      this.wake();
    });
  }
  opened() {
    return new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
  }
  send(message) {
    this.ws.send(JSON.stringify(message));
  }
  wake() {
    for (const waiter of [...this.waiters]) waiter();
  }
  // Resolves with the next unconsumed frame of this kind.
  next(kind, timeoutMs = 10000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${kind} within ${timeoutMs} ms`)), timeoutMs);
      const check = () => {
        const index = this.frames.findIndex((frame) => frame.kind === kind);
        if (index < 0) return;
        clearTimeout(timer);
        this.waiters = this.waiters.filter((waiter) => waiter !== check);
        resolve(this.frames.splice(index, 1)[0]);
      };
      this.waiters.push(check);
      check();
    });
  }
  close() {
    this.ws.close();
    return this.closed;
  }
}

function frames(first, last, bytes = (seq) => [...Buffer.from(`LINE_${seq}`)]) {
  const events = [];
  for (let seq = first; seq <= last; seq++) {
    events.push({
      forwarder_id: '', reader_ip: readerIp, stream_epoch: 1, seq,
      reader_timestamp: '2026-02-17T10:00:00.000Z', raw_frame: bytes(seq), read_type: 'raw',
    });
  }
  return events;
}

async function forwarder(token) {
  const peer = new Peer('/ws/v1/forwarders', token);
  await peer.opened();
  peer.send({ kind: 'forwarder_hello', forwarder_id: '', reader_ips: [readerIp], display_name: 'Finish' });
  const heartbeat = await peer.next('heartbeat');
  peer.sessionId = heartbeat.session_id;
  return { peer, heartbeat };
}

async function receiveUntil(peer, lastSeq) {
  const seqs = [];
  while (seqs.at(-1) !== lastSeq) {
    const batch = await peer.next('receiver_event_batch');
    for (const event of batch.events) seqs.push(event.seq);
  }
  return seqs;
}

const range = (first, last) => Array.from({ length: last - first + 1 }, (_, i) => first + i);

const fwdToken = 'node-forwarder-token-0001';
const rcvToken = 'node-receiver-token-0001';
let forwarderId;

test('provisioning derives the forwarder id from the token', async () => {
  const created = await provision('forwarder', 'ignored', fwdToken);
  assert.match(created.device_id, /^fwd-[0-9a-f]{16}$/);
  forwarderId = created.device_id;
  await provision('receiver', 'rcv-node', rcvToken);
});

test('a missing or unknown token gets one INVALID_TOKEN error frame, then the close', async () => {
  for (const token of [undefined, 'no-such-token-000000']) {
    const peer = new Peer('/ws/v1/forwarders', token);
    await peer.opened();
    const error = await peer.next('error');
    assert.equal(error.code, 'INVALID_TOKEN');
    assert.equal(error.retryable, false);
    await peer.closed;
  }
});

test('a batch is acked once after commit, exact bytes survive, receivers replay then go live', async () => {
  const { peer: fwd, heartbeat } = await forwarder(fwdToken);
  assert.equal(heartbeat.device_id, forwarderId);
  // Bytes that are not UTF-8 and the reader's CRLF must come back unchanged.
  const odd = (seq) => (seq === 7 ? [0xff, 0x00, 0x80, 0x0d, 0x0a] : [...Buffer.from(`LINE_${seq}`)]);
  fwd.send({ kind: 'forwarder_event_batch', session_id: fwd.sessionId, batch_id: 'n-1', events: frames(1, 100, odd) });
  const ack = await fwd.next('forwarder_ack');
  assert.deepEqual(ack.entries, [{ forwarder_id: forwarderId, reader_ip: readerIp, stream_epoch: 1, last_seq: 100 }]);

  const rcv = new Peer('/ws/v1.2/receivers', rcvToken);
  await rcv.opened();
  rcv.send({ kind: 'receiver_hello_v12', receiver_id: 'rcv-node', mode: { mode: 'live', streams: [{ forwarder_id: forwarderId, reader_ip: readerIp }] }, resume: [] });
  const { session_id: receiverSession } = await rcv.next('heartbeat');
  const replayed = [];
  let seventh;
  while (replayed.length < 100) {
    const batch = await rcv.next('receiver_event_batch');
    for (const event of batch.events) {
      replayed.push(event.seq);
      if (event.seq === 7) seventh = event;
    }
  }
  assert.deepEqual(replayed, range(1, 100));
  assert.deepEqual(seventh.raw_frame, [0xff, 0x00, 0x80, 0x0d, 0x0a]);
  assert.equal(seventh.forwarder_id, forwarderId);
  const applied = await rcv.next('receiver_mode_applied');
  assert.equal(applied.mode_summary, 'live (1 streams)');
  assert.equal(applied.resolved_stream_count, 1);

  fwd.send({ kind: 'forwarder_event_batch', session_id: fwd.sessionId, batch_id: 'n-2', events: frames(101, 150) });
  await fwd.next('forwarder_ack');
  assert.deepEqual(await receiveUntil(rcv, 150), range(101, 150));

  rcv.send({ kind: 'receiver_ack', session_id: receiverSession, entries: [{ forwarder_id: forwarderId, reader_ip: readerIp, stream_epoch: 1, last_seq: 120 }] });
  // The cursor is written asynchronously: poll the admin API until it shows.
  for (let i = 0; i < 100; i++) {
    const cursors = await (await fetch(`${base}/api/v1/admin/receiver-cursors`)).json();
    if (cursors.cursors.some((cursor) => cursor.receiver_id === 'rcv-node' && cursor.last_seq === 120)) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await rcv.close();
  await fwd.close();
});

test('a receiver resumes after its persisted cursor', async () => {
  const rcv = new Peer('/ws/v1.2/receivers', rcvToken);
  await rcv.opened();
  rcv.send({ kind: 'receiver_hello_v12', receiver_id: '', mode: { mode: 'live', streams: [{ forwarder_id: forwarderId, reader_ip: readerIp }] } });
  await rcv.next('heartbeat');
  assert.deepEqual(await receiveUntil(rcv, 150), range(121, 150));
  await rcv.next('receiver_mode_applied');
  await rcv.close();
});

test('an identical retransmit is acked and counted, not stored twice', async () => {
  const { peer: fwd } = await forwarder(fwdToken);
  fwd.send({ kind: 'forwarder_event_batch', session_id: fwd.sessionId, batch_id: 'n-3', events: frames(150, 150) });
  const ack = await fwd.next('forwarder_ack');
  assert.equal(ack.entries[0].last_seq, 150);
  const streams = await (await fetch(`${base}/api/v1/streams`)).json();
  const stream = streams.streams.find((s) => s.forwarder_id === forwarderId);
  assert.equal(stream.online, true);
  const metrics = await (await fetch(`${base}/api/v1/streams/${stream.stream_id}/metrics`)).json();
  assert.equal(metrics.dedup_count, 150);
  assert.equal(metrics.retransmit_count, 1);
  assert.equal(metrics.raw_count, metrics.dedup_count + metrics.retransmit_count);
  await fwd.close();
});

test('a receiver hello on the forwarder endpoint is a protocol error', async () => {
  const peer = new Peer('/ws/v1/forwarders', fwdToken);
  await peer.opened();
  peer.send({ kind: 'receiver_hello_v12', receiver_id: '', mode: { mode: 'live', streams: [] } });
  const error = await peer.next('error');
  assert.equal(error.code, 'PROTOCOL_ERROR');
  assert.equal(error.message, 'expected forwarder_hello');
  await peer.closed;
});

'use strict';
/**
 * Framed messages between the judge and the learner's process, for JavaScript: the mirror of
 * channel.py (a 4-byte big-endian length, then that many bytes of JSON). A message with `id` is
 * a request, one with `re` answers the request of that number, one with neither is a
 * notification (a promise settled).
 *
 * Both sides must do two things with one descriptor: block (the test calls `echapperHTML(x)`
 * and needs the answer now, synchronously) and let their event loop run (the judge awaits a
 * learner's promise; the learner's timers fire). So the descriptor is read two ways, into one
 * frame buffer:
 *
 * - Waiting for an answer: `fs.readSync` on the descriptor, which libuv made non-blocking; when
 *   nothing is there the wait naps in `Atomics.wait` (20 µs, doubling up to 2 ms), until its
 *   deadline. Requests that arrive meanwhile are served at once, so calls nest to any depth as
 *   in channel.py (a learner's function calls back a test's function, which calls the learner
 *   again); answers may arrive out of order and wait in a table.
 * - Idle: a net.Socket on the descriptor delivers data through the event loop. What arrived
 *   with an answer but was not for it is dispatched once the event loop is free again.
 * (A reader thread blocked in read(2) would need no naps, but node cannot exit while a thread
 * is blocked in a system call, and the judge must exit when the learner's process hangs.)
 *
 * Writes are `fs.writeSync`; a write that would block reads meanwhile, so two large messages
 * crossing never wait for each other.
 *
 * The event loops, and promises both ways:
 * - A promise crosses as a handle; the receiver gets a real promise of its own, settled when
 *   the owner reports how its promise settled.
 * - The learner's process answers a request made while it was idle only after its microtasks
 *   have run (setImmediate): a call returns with what the learner's code did right after it
 *   (an `async` function's first steps, a `.then` already due) done, so a test that awaits a
 *   tick sees what it would see in one process.
 * - The judge reports its promises' settlements as requests, which the learner's process
 *   answers the same way (after its microtasks): `resolve(...); await setImmediate` in a test
 *   finds the learner's code already run on the resolved value. The learner's process reports
 *   its own settlements as notifications, handled whenever the judge reads them (during a call
 *   or while a test awaits).
 * Meanwhile each side's event loop runs freely whenever it is not waiting for an answer: the
 * learner's real timers fire while a test awaits, and may call back the test's functions.
 */

const fs = require('fs');
const net = require('net');
const { performance } = require('perf_hooks');
const { Codec, CodecError } = require('./codec.js');

const HEADER = 4;
// Taken before any learner's code runs: code that replaces JSON's methods breaks only itself.
const parseJSON = JSON.parse;
const stringifyJSON = JSON.stringify;
/** Messages parsed into objects without a prototype: whatever the learner's code adds to
 * Object.prototype, a field a message lacks stays absent. */
function bare(key, value) {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    return Object.assign(Object.create(null), value);
  }
  return value;
}
/** Longest nap between two looks at the descriptor while waiting for an answer (ms). */
const MAX_NAP = 2;

class ChannelError extends Error {}
ChannelError.prototype.name = 'ChannelError';
class ChannelClosed extends ChannelError {}
ChannelClosed.prototype.name = 'ChannelClosed';
class ChannelTimeout extends ChannelError {}
ChannelTimeout.prototype.name = 'ChannelTimeout';
class FrameTooLarge extends ChannelError {
  constructor(size) {
    super(`a message of ${size} bytes`);
    this.size = size;
  }
}
FrameTooLarge.prototype.name = 'FrameTooLarge';

function now() {
  return performance.now();
}

const napper = new Int32Array(new SharedArrayBuffer(4));

function nap(ms) {
  Atomics.wait(napper, 0, 0, ms);
}

/** Bytes received and not yet taken, cut into frames. */
class Frames {
  constructor(maxFrame) {
    this.maxFrame = maxFrame;
    this.chunks = [];
    this.length = 0;
  }

  push(chunk) {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.length += chunk.length;
    }
  }

  /** How many bytes the next frame still lacks (0: it is here). */
  missing() {
    if (this.length < HEADER) return HEADER - this.length;
    const size = this.head();
    if (size > this.maxFrame) throw new FrameTooLarge(size);
    return Math.max(HEADER + size - this.length, 0);
  }

  head() {
    if (this.chunks[0].length < HEADER) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].readUInt32BE(0);
  }

  /** The next whole frame's text, or null. */
  next() {
    if (this.missing() > 0) return null;
    const size = HEADER + this.head();
    if (this.chunks[0].length < size) this.chunks = [Buffer.concat(this.chunks)];
    const first = this.chunks[0];
    const frame = first.toString('utf8', HEADER, size);
    if (first.length === size) this.chunks.shift();
    else this.chunks[0] = first.subarray(size);
    this.length -= size;
    return frame;
  }
}

/**
 * One end of a connection on file descriptor `fd`, read two ways: by the event loop when idle
 * (a net.Socket on the descriptor, whose data goes to the same frame buffer), and with
 * fs.readSync while waiting for an answer. node has no blocking wait on a descriptor besides
 * reading it, and the socket is non-blocking (libuv made it so): the wait naps in
 * Atomics.wait between reads, from 20 µs up to 2 ms, so a quick answer is seen at once and a
 * slow one costs a few hundred wake-ups a second.
 */
class Peer {
  constructor(fd, maxFrame, dispatch, bareObjects = false) {
    this.fd = fd;
    this.reviver = bareObjects ? bare : undefined;
    this.dispatch = dispatch;
    this.frames = new Frames(maxFrame);
    this.closed = null;
    this.onClose = null;
    /** How many synchronous waits are in progress (0: the event loop is free). */
    this.depth = 0;
    this.resuming = false;
    this.buffer = Buffer.allocUnsafe(1 << 16);
    this.socket = new net.Socket({ fd, readable: true, writable: false });
    this.socket.on('data', (chunk) => {
      this.frames.push(chunk);
      this.drain();
    });
    const ended = () => {
      if (!this.closed) {
        this.close(new ChannelClosed('the other side closed the connection'));
        if (this.onClose) this.onClose(this.closed);
      }
    };
    this.socket.on('end', ended);
    this.socket.on('close', ended);
    this.socket.on('error', ended);
  }

  /** After a wait: what arrived with the answer (a promise settled meanwhile, a request of
   * the other side's timer) is dispatched once the event loop is free, as if it came then. */
  resume() {
    if (this.depth === 0 && this.frames.length > 0 && !this.closed && !this.resuming) {
      this.resuming = true;
      setImmediate(() => {
        this.resuming = false;
        if (this.depth === 0) this.drain();
      });
    }
  }

  /** Frames that arrived while idle, dispatched one by one (each may wait for others). */
  drain() {
    for (;;) {
      let message;
      try {
        message = this.take();
      } catch (error) {
        this.close(error);
        if (this.onClose) this.onClose(error);
        return;
      }
      if (message === null) return;
      try {
        this.dispatch(message, false);
      } catch {
        // Nobody waits here: what broke (the other side stopped) was already taken in hand.
      }
    }
  }

  /** The next message already received, or null. */
  take() {
    if (this.closed) return null;
    const text = this.frames.next();
    if (text === null) return null;
    let message;
    try {
      message = parseJSON(text, this.reviver);
    } catch {
      message = null;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      throw new CodecError('not a message');
    }
    return message;
  }

  /** Read what the descriptor has now; false if nothing yet. */
  readNow() {
    const wanted = Math.min(Math.max(this.frames.missing(), 1 << 16), 1 << 24);
    if (this.buffer.length < wanted) this.buffer = Buffer.allocUnsafe(wanted);
    let n;
    try {
      n = fs.readSync(this.fd, this.buffer, 0, wanted, null);
    } catch (error) {
      if (error.code === 'EAGAIN' || error.code === 'EWOULDBLOCK' || error.code === 'EINTR') {
        return false;
      }
      throw this.close(new ChannelClosed(`cannot read: ${error.code || error.message}`));
    }
    if (n === 0) throw this.close(new ChannelClosed('the other side closed the connection'));
    this.frames.push(Buffer.from(this.buffer.subarray(0, n)));
    return true;
  }

  /** The next message, waiting until `deadline` (performance.now() milliseconds). */
  next(deadline) {
    let pause = 0.02;
    for (;;) {
      if (this.closed) throw this.closed;
      // Checked even when messages keep coming: a stream of requests cannot outlast the time.
      if (now() > deadline) throw new ChannelTimeout('no answer in time');
      let message;
      try {
        message = this.take();
      } catch (error) {
        throw this.close(error);
      }
      if (message !== null) return message;
      if (this.readNow()) {
        pause = 0.02;
        continue;
      }
      nap(Math.min(pause, Math.max(deadline - now(), 0)));
      pause = Math.min(pause * 2, MAX_NAP);
    }
  }

  send(message) {
    if (this.closed) throw this.closed;
    const body = Buffer.from(stringifyJSON(message), 'utf8');
    const frame = Buffer.allocUnsafe(HEADER + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, HEADER);
    let sent = 0;
    let pause = 0.02;
    while (sent < frame.length) {
      try {
        sent += fs.writeSync(this.fd, frame, sent, frame.length - sent);
        pause = 0.02;
      } catch (error) {
        if (error.code !== 'EAGAIN' && error.code !== 'EWOULDBLOCK' && error.code !== 'EINTR') {
          throw this.close(new ChannelClosed(`cannot send: ${error.code || error.message}`));
        }
        // The other side may be sending a large message too: read while waiting, or both
        // would wait for ever.
        if (!this.readNow()) {
          nap(pause);
          pause = Math.min(pause * 2, MAX_NAP);
        }
      }
    }
  }

  close(error) {
    if (!this.closed) {
      this.closed = error;
      this.socket.removeAllListeners('data');
      this.socket.on('error', () => {});
      this.socket.destroy();
    }
    return this.closed;
  }
}

/**
 * A conversation with the other side: requests both ways, stand-ins for its objects, its
 * promises. `serve(op, target, values, message)` does what the other side asks of this side's
 * objects (each side has its own rules); `hooks` say what a broken channel means here.
 */
class Session {
  constructor({
    fd, side, maxFrame, maxObjects, serve, mayShare, trace, drain = false, hooks = {},
  }) {
    this.side = side;
    this.serveOp = serve;
    this.drain = drain;
    this.hooks = hooks;
    this.count = 0;
    /** Requests of this side's awaiting their answer, and answers not yet taken. */
    this.pending = new Set();
    this.answers = new Map();
    this.codec = new Codec({ side, remote: this, mayShare, trace, maxObjects });
    this.codec.onSettled = (id, outcome) => this.settled(id, outcome);
    // The learner's process is the one whose own code may have polluted Object.prototype.
    this.peer = new Peer(fd, maxFrame, (message, nested) => this.dispatch(message, nested),
      side === 'l');
    this.peer.onClose = (error) => this.hooks.closed && this.hooks.closed(error);
  }

  deadline() {
    return this.hooks.deadline ? this.hooks.deadline() : Infinity;
  }

  // --- asking the other side ------------------------------------------------------------------

  /** Send a request and wait for its answer, serving the other side's requests meanwhile. */
  request(message) {
    this.count += 1;
    const number = this.count;
    this.peer.send({ ...message, id: number });
    this.pending.add(number);
    this.peer.depth += 1;
    try {
      for (;;) {
        const answer = this.answers.get(number);
        if (answer !== undefined) {
          this.answers.delete(number);
          return answer;
        }
        this.dispatch(this.peer.next(this.deadline()), true);
      }
    } finally {
      this.pending.delete(number);
      this.peer.depth -= 1;
      this.peer.resume();
    }
  }

  /** A request whose answer is a value of the other side's (decoded, or thrown). */
  ask(message, values = []) {
    if (this.hooks.before) this.hooks.before();
    const encoding = this.codec.encoder();
    let encoded;
    try {
      encoded = values.map((value) => encoding.value(value));
    } catch (error) {
      if (!(error instanceof CodecError)) throw error;
      const whose = this.side === 'j' ? "the learner's code" : 'the test';
      throw new TypeError(`this value cannot be given to ${whose}: ${error.message}`);
    }
    let answer;
    try {
      answer = this.request({ ...message, v: encoded });
    } catch (error) {
      throw this.broken(error);
    }
    return this.read(answer);
  }

  read(answer) {
    const decoding = this.codec.decoder();
    let value;
    let exception;
    try {
      if ('ok' in answer) value = decoding.value(answer.ok);
      if (Array.isArray(answer.sync)) for (const item of answer.sync) decoding.value(item);
      if ('exc' in answer) exception = decoding.thrown(answer.exc);
    } catch (error) {
      throw this.broken(error);
    }
    if (this.hooks.checked) this.hooks.checked(answer);
    if ('exc' in answer) throw exception;
    this.raw = answer.raw;
    return value;
  }

  broken(error) {
    return this.hooks.broken ? this.hooks.broken(error) : error;
  }

  notify(message) {
    try {
      this.peer.send(message);
    } catch (error) {
      this.broken(error);
    }
  }

  // The operations the stand-ins (codec.js) perform on the other side's objects.
  call(id, thisArg, args) {
    return this.ask({ op: 'call', h: id }, [thisArg, ...args]);
  }

  construct(id, args) {
    return this.ask({ op: 'new', h: id }, args);
  }

  get(id, key) {
    return this.ask({ op: 'get', h: id, key });
  }

  set(id, key, value) {
    this.ask({ op: 'set', h: id, key }, [value]);
  }

  has(id, key) {
    return this.ask({ op: 'has', h: id, key }) === true;
  }

  deleteProperty(id, key) {
    return this.ask({ op: 'delete', h: id, key }) === true;
  }

  keys(id) {
    const keys = this.ask({ op: 'keys', h: id });
    return Array.isArray(keys) ? keys.filter((k) => typeof k === 'string') : [];
  }

  own(id, key) {
    const value = this.ask({ op: 'own', h: id, key });
    const raw = this.raw;
    if (typeof raw !== 'object' || raw === null) return null;
    return { value, enumerable: raw.e === true };
  }

  instanceOf(id, value) {
    return this.ask({ op: 'instanceof', h: id }, [value]) === true;
  }

  /** One of this side's promises settled: the other side's stand-in settles the same way. */
  settled(id, outcome) {
    const encoding = this.codec.encoder();
    let body;
    try {
      body = 'error' in outcome ? { x: encoding.thrown(outcome.error) }
        : { v: [encoding.value(outcome.value)] };
    } catch (error) {
      body = { x: encoding.thrown(error) };
    }
    if (this.peer.closed) return;
    if (this.side === 'l') {
      this.notify({ op: 'settled', p: id, ...body });
      return;
    }
    let answer;
    try {
      answer = this.request({ op: 'settle', p: id, ...body });
    } catch (error) {
      this.broken(error);
      return;
    }
    try {
      // What the learner's code did with the value comes back like a call's (sync, output).
      this.read(answer);
    } catch {
      // a flood or a broken answer was taken in hand by the hooks; nobody else waits here
    }
  }

  // --- answering the other side --------------------------------------------------------------

  dispatch(message, nested) {
    if (Object.prototype.hasOwnProperty.call(message, 're')) {
      // An answer to a question nobody asked (yet) is a broken peer, not an answer to keep.
      if (!this.pending.has(message.re) || this.answers.has(message.re)) {
        throw this.broken(new CodecError('an answer to a question nobody asked'));
      }
      this.answers.set(message.re, message);
      return;
    }
    if (Object.prototype.hasOwnProperty.call(message, 'id')) {
      this.answer(message, nested);
      return;
    }
    if (message.op === 'settled') this.receiveSettled(message);
  }

  receiveSettled(message) {
    const decoding = this.codec.decoder();
    try {
      const outcome = message.x !== undefined ? { error: decoding.thrown(message.x) }
        : { value: decoding.value(Array.isArray(message.v) ? message.v[0] : undefined) };
      this.codec.settle(String(message.p), outcome);
    } catch (error) {
      this.broken(error);
    }
  }

  answer(message, nested) {
    if (typeof message.id !== 'number') return;
    const touched = new Set();
    const capture = this.hooks.capture ? this.hooks.capture() : null;
    let result;
    let failure;
    let failed = false;
    this.lastRaw = undefined;
    try {
      result = this.perform(message, touched);
    } catch (error) {
      if (this.hooks.fatal && this.hooks.fatal(error)) {
        if (capture) capture.end();
        throw error;
      }
      failed = true;
      failure = error;
    }
    const raw = this.lastRaw;
    this.lastRaw = undefined;
    const finish = () => {
      const encoding = this.codec.encoder();
      const reply = { re: message.id };
      if (!failed) {
        try {
          reply.ok = this.encodeResult(encoding, result);
        } catch (error) {
          reply.exc = this.exception(error);
        }
      } else {
        reply.exc = this.exception(failure);
      }
      if (raw !== undefined) reply.raw = raw;
      try {
        const sync = encoding.changed(touched);
        if (sync.length) reply.sync = sync;
      } catch {
        // arguments that cannot be read back stay as the other side sent them
      }
      if (capture) Object.assign(reply, capture.end());
      try {
        this.peer.send(reply);
      } catch (error) {
        this.broken(error);
      }
    };
    // Idle when asked: answer once the microtasks the call started have run (see above).
    if (this.drain && !nested && this.peer.depth === 0) setImmediate(finish);
    else finish();
  }

  /** What an exception says to the other side; one that cannot even be described says so. */
  exception(error) {
    try {
      return this.codec.encoder().thrown(error);
    } catch {
      const message = 'an exception that cannot be shown';
      return { error: { name: 'Error', message, base: 'Error' } };
    }
  }

  encodeResult(encoding, result) {
    if (result instanceof AsHandle) return encoding.asHandle(result.value);
    try {
      return encoding.value(result);
    } catch (error) {
      // A value that cannot travel (nested too deeply) stays here as a handle.
      const object = typeof result === 'function'
        || (typeof result === 'object' && result !== null);
      if (error instanceof CodecError && object && this.side === 'l') {
        return { $h: encoding.handle(result) };
      }
      throw error;
    }
  }

  perform(message, touched) {
    const decoding = this.codec.decoder(touched);
    const values = message.v === undefined ? [] : decoding.values(message.v);
    if (message.op === 'settle') {
      const outcome = message.x !== undefined ? { error: decoding.thrown(message.x) }
        : { value: values[0] };
      this.codec.settle(String(message.p), outcome);
      return null;
    }
    let target;
    if (message.h !== undefined) {
      if (typeof message.h !== 'string' || !this.codec.mine(message.h)
          || !this.codec.objects.has(message.h)) {
        throw new TypeError('no such object');
      }
      target = this.codec.objects.get(message.h);
    }
    let key = message.key;
    if (key !== undefined) key = decodeKey(key);
    return this.serveOp(message.op, target, values, { key, message, session: this });
  }

  /** Extra data of an answer (keys, a descriptor) that needs no identity. */
  answerRaw(raw) {
    this.lastRaw = raw;
  }
}

/** A result sent as a handle even if it is plain data (a module's exports, read live). */
class AsHandle {
  constructor(value) {
    this.value = value;
  }
}

function decodeKey(key) {
  if (typeof key === 'string') return key;
  if (typeof key === 'object' && key !== null && typeof key.w === 'string'
      && ['iterator', 'asyncIterator', 'toStringTag'].includes(key.w)) {
    return Symbol[key.w];
  }
  throw new TypeError('bad key');
}

module.exports = {
  Peer, Session, AsHandle, ChannelError, ChannelClosed, ChannelTimeout, FrameTooLarge, now,
};

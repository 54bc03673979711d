'use strict';
/**
 * Framed messages between the judge and the learner's process, for JavaScript: the mirror of
 * channel.py (a 4-byte big-endian length, then that many bytes of JSON). A message with `id` is
 * a request, one with `re` answers the request of that number, one with neither is a
 * notification (a promise settled).
 *
 * Both sides must do two things at once: block (the test calls `echapperHTML(x)` and needs the
 * answer now, synchronously) and let their event loop run (the judge awaits a learner's
 * promise, the learner's timers fire). One descriptor cannot be read both ways, so a small
 * worker thread owns it: it reads frames with blocking `fs.readSync` and posts each one on a
 * MessagePort, then bumps a shared counter.
 *
 * - Waiting for an answer (synchronous): the main thread takes frames with
 *   `receiveMessageOnPort` and sleeps in `Atomics.wait` on the counter between them (no busy
 *   loop), until its deadline. Requests that arrive meanwhile are served at once: calls nest
 *   to any depth, as in channel.py (a learner's function calls back a test's function, which
 *   calls the learner again). Answers may arrive out of order and wait in a table.
 * - Idle (asynchronous): the same port's 'message' events deliver frames through the event
 *   loop; a frame is taken exactly once, whichever way.
 *
 * Writes are `fs.writeSync` on the same descriptor.
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
const { Worker, MessageChannel, receiveMessageOnPort } = require('worker_threads');
const { performance } = require('perf_hooks');
const { Codec, CodecError } = require('./codec.js');

const HEADER = 4;

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

/** The reader thread: blocking reads of whole frames, each posted to the main thread. */
const READER = `
'use strict';
const fs = require('fs');
const { workerData } = require('worker_threads');
const { fd, port, counter, maxFrame } = workerData;
const flag = new Int32Array(counter);
const nap = new Int32Array(new SharedArrayBuffer(4));
function post(message) {
  port.postMessage(message);
  Atomics.add(flag, 0, 1);
  Atomics.notify(flag, 0);
}
function read(size) {
  const buffer = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    let n;
    try {
      n = fs.readSync(fd, buffer, got, size - got, null);
    } catch (error) {
      if (error.code === 'EAGAIN' || error.code === 'EINTR') {
        Atomics.wait(nap, 0, 0, 2);
        continue;
      }
      return null;
    }
    if (n === 0) return null;
    got += n;
  }
  return buffer;
}
for (;;) {
  const head = read(${HEADER});
  if (head === null) { post({ eof: true }); break; }
  const size = head.readUInt32BE(0);
  if (size > maxFrame) { post({ large: size }); break; }
  const body = size === 0 ? Buffer.alloc(0) : read(size);
  if (body === null) { post({ eof: true }); break; }
  post({ frame: body.toString('utf8') });
}
`;

function now() {
  return performance.now();
}

/** One end of a connection on file descriptor `fd`. */
class Peer {
  constructor(fd, maxFrame, dispatch) {
    this.fd = fd;
    this.dispatch = dispatch;
    this.closed = null;
    this.counter = new SharedArrayBuffer(4);
    this.flag = new Int32Array(this.counter);
    const { port1, port2 } = new MessageChannel();
    this.port = port1;
    this.worker = new Worker(READER, {
      eval: true,
      workerData: { fd, port: port2, counter: this.counter, maxFrame },
      transferList: [port2],
      stdout: false,
      stderr: false,
    });
    // The reader never keeps the process alive by itself; the port does while it listens.
    this.worker.unref();
    this.port.on('message', (message) => this.arrived(message, false));
    this.nap = new Int32Array(new SharedArrayBuffer(4));
    /** How many synchronous waits are in progress (0: the event loop is free). */
    this.depth = 0;
  }

  send(message) {
    if (this.closed) throw this.closed;
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const frame = Buffer.allocUnsafe(HEADER + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, HEADER);
    let sent = 0;
    while (sent < frame.length) {
      try {
        sent += fs.writeSync(this.fd, frame, sent, frame.length - sent);
      } catch (error) {
        if (error.code === 'EAGAIN' || error.code === 'EINTR') {
          Atomics.wait(this.nap, 0, 0, 1);
          continue;
        }
        throw this.close(new ChannelClosed(`cannot send: ${error.code || error.message}`));
      }
    }
  }

  /** The next message, waiting until `deadline` (performance.now() milliseconds). */
  next(deadline) {
    for (;;) {
      if (this.closed) throw this.closed;
      const seen = Atomics.load(this.flag, 0);
      const received = receiveMessageOnPort(this.port);
      if (received !== undefined) {
        const message = this.parse(received.message);
        if (message !== null) return message;
        continue;
      }
      const left = deadline - now();
      if (left <= 0) throw new ChannelTimeout('no answer in time');
      Atomics.wait(this.flag, 0, seen, Math.min(left, 1000));
    }
  }

  /** A frame from the reader as a message; null when it only closed the channel. */
  parse(raw) {
    if (raw.eof) {
      this.close(new ChannelClosed('the other side closed the connection'));
      return null;
    }
    if (raw.large !== undefined) {
      this.close(new FrameTooLarge(raw.large));
      return null;
    }
    let message;
    try {
      message = JSON.parse(raw.frame);
    } catch {
      message = null;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) {
      this.close(new CodecError('not a message'));
      return null;
    }
    return message;
  }

  arrived(raw, nested) {
    const message = this.parse(raw);
    if (message !== null) this.dispatch(message, nested);
    else if (this.onClose) this.onClose(this.closed);
  }

  close(error) {
    if (!this.closed) {
      this.closed = error;
      this.port.close();
      this.worker.terminate().catch(() => {});
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
  constructor({ fd, side, maxFrame, serve, mayShare, trace, drain = false, hooks = {} }) {
    this.side = side;
    this.serveOp = serve;
    this.drain = drain;
    this.hooks = hooks;
    this.count = 0;
    this.answers = new Map();
    this.codec = new Codec({ side, remote: this, mayShare, trace });
    this.codec.onSettled = (id, outcome) => this.settled(id, outcome);
    this.peer = new Peer(fd, maxFrame, (message, nested) => this.dispatch(message, nested));
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
      this.peer.depth -= 1;
    }
  }

  /** A request whose answer is a value of the other side's (decoded, or thrown). */
  ask(message, values = []) {
    if (this.hooks.before) this.hooks.before();
    const encoding = this.codec.encoder();
    let answer;
    try {
      answer = this.request({ ...message, v: values.map((value) => encoding.value(value)) });
    } catch (error) {
      if (error instanceof CodecError && !this.peer.closed) {
        throw new TypeError(`this value cannot be given to the other side: ${error.message}`);
      }
      throw this.broken(error);
    }
    return this.read(answer);
  }

  read(answer) {
    if (this.hooks.answered) this.hooks.answered(answer);
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
    if (this.side === 'l') {
      this.notify({ op: 'settled', p: id, ...body });
      return;
    }
    try {
      this.request({ op: 'settle', p: id, ...body });
    } catch (error) {
      this.broken(error);
    }
  }

  // --- answering the other side --------------------------------------------------------------

  dispatch(message, nested) {
    if (Object.prototype.hasOwnProperty.call(message, 're')) {
      if (typeof message.re === 'number') this.answers.set(message.re, message);
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
          reply.exc = encoding.thrown(error);
        }
      } else {
        reply.exc = encoding.thrown(failure);
      }
      if (raw !== undefined) reply.raw = raw;
      const sync = encoding.changed(touched);
      if (sync.length) reply.sync = sync;
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

  encodeResult(encoding, result) {
    if (result instanceof AsHandle) return encoding.asHandle(result.value);
    try {
      return encoding.value(result);
    } catch (error) {
      // A value that cannot travel (nested too deeply) stays here as a handle.
      if (error instanceof CodecError && (typeof result === 'object' || typeof result === 'function')
          && result !== null && this.side === 'l') {
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

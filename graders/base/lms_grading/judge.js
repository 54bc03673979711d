'use strict';
/**
 * The node side of the JavaScript judge: runs the hidden `tests/*.test.js` with node:test, in
 * the judge's box, while the learner's modules run in the learner's process.
 *
 * Started by judge_node.py as
 *   node --test-reporter=judge.js --test-reporter-destination=stdout judge.js
 * with two descriptors: the learner's channel (LMS_LEARNER_FD, see channel.js) and a line to
 * the Python adapter (LMS_HOST_FD: the job comes in; events, and `fate` questions, go out).
 * This file is both the program and node:test's reporter: the results are read here, in the
 * judge's process, where the learner's code never runs.
 *
 * - `require('./carte.js')` in a test (any file the job lists) gives the learner's module as
 *   the learner's process sees it: its exports are a stand-in read live, its functions are
 *   called there, and values come back as plain data (codec.js).
 * - `require('node:test')` in a test gives node:test with `test` wrapped, so the judge knows
 *   which test runs when the learner's process stops, floods or hangs.
 * - Each top-level test's verdict goes to the adapter as it is reported: passed, failed (an
 *   assertion, quoted by its message) or error (what the learner's code threw, with the lines
 *   of its own files), never a line of the tests nor a stack of the judge's.
 * - A learner's process that hangs during a call fails that call at the job's deadline; one
 *   that dies fails the call at once. Either way it is stopped for good (no second process:
 *   the adapter cannot hand node a new descriptor), and later tests fail "after stop". At the
 *   deadline, what still awaits the learner's promises fails too; a test awaiting only its own
 *   promises gets one more second, then the run ends with the verdicts already reported.
 * - What the learner's code may reach of the judge: the functions and objects a test passed
 *   (and what they return), called and read; of those objects only their own properties and
 *   their own classes' methods, never a name starting with `_`, `constructor`, `prototype` or
 *   `__proto__`, nor anything of a built-in's prototype. `process`, `require`, `Function`,
 *   `globalThis`, node's fs, child_process, net... are never handed over, even if a test passes
 *   them (the test gets a TypeError: pass a fake). Built-ins such as `Math.max` or `Map` cross
 *   by name: the learner's side uses its own. The judge also runs with
 *   --disallow-code-generation-from-strings.
 */

const fs = require('fs');
const path = require('path');
const Module = require('module');
const assert = require('assert');
const { Session, ChannelTimeout, FrameTooLarge, now } = require('./channel.js');
const { describeThrown, NAMES } = require('./codec.js');

const TESTS = '/job/tests';
/** How much of the learner's answer the judge reads in one message, and how many objects
 * (each a copy or a stand-in in the judge's memory) it may bring. */
const MAX_ANSWER = 64 * 1024 * 1024;
const MAX_OBJECTS = 200000;
/** After the deadline, how long tests still awaiting something of their own may take. */
const LAST_WORDS_MS = 1000;
const MESSAGE_LIMIT = 3000;
const DEBUG = Boolean(process.env.LMS_JUDGE_DEBUG);

/** Diagnostics for whoever maintains the grader (LMS_JUDGE_DEBUG=1): the judge's stderr. */
function debug(...parts) {
  if (!DEBUG) return;
  const shown = parts.map((part) => (typeof part === 'string' ? part : JSON.stringify(part)));
  process.stderr.write(`judge: ${shown.join(' ')}\n`);
}

// --- the line to the Python adapter ------------------------------------------------------------

const host = {
  fd: Number(process.env.LMS_HOST_FD),

  send(message) {
    const body = Buffer.from(JSON.stringify(message), 'utf8');
    const frame = Buffer.allocUnsafe(4 + body.length);
    frame.writeUInt32BE(body.length, 0);
    body.copy(frame, 4);
    let sent = 0;
    while (sent < frame.length) sent += fs.writeSync(this.fd, frame, sent, frame.length - sent);
  },

  receive() {
    const read = (size) => {
      const buffer = Buffer.alloc(size);
      let got = 0;
      while (got < size) {
        const n = fs.readSync(this.fd, buffer, got, size - got, null);
        if (n === 0) throw new Error('the adapter closed the line');
        got += n;
      }
      return buffer;
    };
    const size = read(4).readUInt32BE(0);
    return JSON.parse(read(size).toString('utf8'));
  },

  ask(message) {
    this.send(message);
    return this.receive();
  },
};

// --- the learner's process, and what stops it ---------------------------------------------------

/** The learner's process no longer answers. Not an Error: no `catch (e) { if (e instanceof
 * Error) ... }` or validation function of a test can take it for the error it expected. */
class LearnerStopped {
  constructor(reason, limit = null, code = null, after = false) {
    this.reason = reason;
    this.limit = limit;
    this.code = code;
    this.after = after;
  }

  get message() {
    return this.reason;
  }

  toString() {
    return `LearnerStopped: ${this.reason}`;
  }

  info() {
    return { limit: this.limit, code: this.code, after: this.after };
  }
}

const state = {
  job: null,
  session: null,
  deadline: Infinity,
  /** Why the learner's process stopped for good, once it has. */
  stopped: null,
  limit: null,
  /** The top-level test running now (its key), and the test file being loaded. */
  current: null,
  loading: null,
  /** key -> {file, name, stop}: what happened to the learner's process during each test. */
  tests: new Map(),
  registered: new Map(),
  reported: new Map(),
  finished: 0,
  loaded: false,
  done: false,
  modules: new Map(),
};

function noteLimit(limit) {
  if (limit && !state.limit) {
    state.limit = limit;
    host.send({ ev: 'limit', limit });
  }
}

/** What stopped a call during the running test: the first thing is what the learner sees. */
function noteStop(stop) {
  const test = state.current && state.tests.get(state.current);
  if (test && !test.stop) test.stop = stop.info();
}

function stopLearner(limit, reason) {
  if (state.stopped) return state.stopped;
  debug('learner stopped:', limit, reason);
  const session = state.session;
  let fate = {};
  try {
    // Not a timeout: the learner's channel closed, its box is ending by itself.
    fate = host.ask({ op: 'fate', closed: limit !== 'timeout' });
  } catch {
    fate = {};
  }
  let cause = limit;
  if ((fate.status === 'memory' || fate.status === 'output') && limit !== 'timeout') {
    cause = fate.status;
  }
  const code = cause === null && fate.status === 'exit' ? fate.code : null;
  const stop = new LearnerStopped(reason, cause, code);
  state.stopped = stop;
  session.peer.close(new Error('stopped'));
  noteLimit(cause);
  noteStop(stop);
  session.codec.abandon(stop);
  return stop;
}

function afterStop() {
  const stop = state.stopped;
  const after = new LearnerStopped(stop.reason, stop.limit, stop.code, true);
  noteStop(after);
  return after;
}

const hooks = {
  deadline: () => state.deadline,
  before() {
    if (state.stopped) throw afterStop();
  },
  broken(error) {
    if (error instanceof LearnerStopped) return error;
    if (state.stopped) return afterStop();
    if (error instanceof ChannelTimeout) return stopLearner('timeout', 'no answer in time');
    if (error instanceof FrameTooLarge) return stopLearner('output', error.message);
    return stopLearner(null, String(error && error.message));
  },
  closed(error) {
    // The learner's process went away while nobody was waiting for it.
    if (!state.stopped) stopLearner(error instanceof FrameTooLarge ? 'output' : null, 'closed');
  },
  checked(answer) {
    if (answer.flood === true) {
      noteLimit('output');
      const flood = new LearnerStopped('too much output', 'output');
      noteStop(flood);
      throw flood;
    }
  },
  fatal: (error) => error instanceof LearnerStopped,
};

/** When the job's time is up: the learner's process is stopped, and what still awaits it
 * fails; tests awaiting only their own promises get a last moment, then the run ends. */
function expire() {
  if (!state.stopped) stopLearner('timeout', 'the time limit was reached');
  setTimeout(finish, LAST_WORDS_MS).unref();
}

// --- what the learner's code may reach of the judge -------------------------------------------

const AsyncFunction = (async () => {}).constructor;
const GeneratorFunction = (function* generator() {}).constructor;
const AsyncGeneratorFunction = (async function* generator() {}).constructor;

/** Prototypes of the built-ins: a property found there is not the test's to share. */
const INTRINSICS = new Set();
/** Objects never handed to the learner's code, whatever a test passes. */
const DENIED = new Set([
  globalThis, process, Reflect, Proxy, eval, Function, AsyncFunction, GeneratorFunction,
  AsyncGeneratorFunction, require, module, Module, Atomics, WebAssembly,
]);
const DENIED_NAMES = new Set([
  'constructor', 'prototype', '__proto__', 'caller', 'callee', 'arguments', '__defineGetter__',
  '__defineSetter__', '__lookupGetter__', '__lookupSetter__',
]);

function collectIntrinsics() {
  const protos = [Function.prototype, Object.prototype, AsyncFunction.prototype,
    GeneratorFunction.prototype, AsyncGeneratorFunction.prototype,
    Object.getPrototypeOf(GeneratorFunction.prototype),
    Object.getPrototypeOf([][Symbol.iterator]()),
    Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))];
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const descriptor = Object.getOwnPropertyDescriptor(globalThis, name);
    const value = descriptor && descriptor.value;
    if (typeof value === 'function' && value.prototype && typeof value.prototype === 'object') {
      protos.push(value.prototype);
    }
  }
  for (const proto of protos) {
    INTRINSICS.add(proto);
    DENIED.add(proto);
    for (const key of Reflect.ownKeys(proto)) {
      const descriptor = Object.getOwnPropertyDescriptor(proto, key);
      if (descriptor && typeof descriptor.value === 'function' && !NAMES.has(descriptor.value)) {
        DENIED.add(descriptor.value);
      }
    }
  }
}

/** node's modules whose functions would hand the learner the judge's files, processes or
 * network if a test passed them (`lire(fs, chemin)`): a test passes fakes instead. */
const DANGEROUS_MODULES = [
  'fs', 'fs/promises', 'child_process', 'worker_threads', 'vm', 'module', 'net', 'http', 'https',
  'http2', 'dgram', 'dns', 'cluster', 'inspector', 'os', 'v8', 'repl', 'tls', 'readline',
];
let loadedModules = 0;

/** Deny what the dangerous modules loaded so far export (loading the others costs ~80 ms; a
 * module nobody loaded has nothing to pass). */
function denyLoadedModules() {
  if (process.moduleLoadList.length === loadedModules) return;
  loadedModules = process.moduleLoadList.length;
  for (const name of DANGEROUS_MODULES) {
    if (!process.moduleLoadList.includes(`NativeModule ${name}`)) continue;
    const exports = require(name);
    DENIED.add(exports);
    for (const key of Object.keys(exports)) {
      const value = exports[key];
      if (typeof value === 'function' || (typeof value === 'object' && value !== null)) {
        DENIED.add(value);
      }
    }
  }
}

function mayShare(value) {
  denyLoadedModules();
  if (DENIED.has(value) || value instanceof Module) return false;
  // Any module's own `require` (a test's included).
  return !(typeof value === 'function' && value.cache === Module._cache);
}

function allowedKey(key) {
  return typeof key === 'symbol' || (!key.startsWith('_') && !DENIED_NAMES.has(key));
}

/** Where a property of a test's object lives: the object, or a prototype of the test's own
 * (a class of the test), never a built-in's (Function.prototype.constructor...). */
function holder(target, key) {
  if (!allowedKey(key)) return null;
  let object = target;
  for (let depth = 0; depth < 64 && object !== null; depth += 1) {
    if (INTRINSICS.has(object)) return null;
    if (Reflect.getOwnPropertyDescriptor(object, key)) return object;
    object = Object.getPrototypeOf(object);
  }
  return null;
}

/** What the learner's code may ask of a test's function or object. */
function serveLearner(op, target, values, { key, session }) {
  if (!session.codec.handles.has(target)) throw new TypeError('not an object of the test');
  switch (op) {
    case 'call':
      return Reflect.apply(target, values[0], values.slice(1));
    case 'new':
      return Reflect.construct(target, values);
    case 'get':
      return holder(target, key) === null ? undefined : Reflect.get(target, key);
    case 'has':
      return holder(target, key) !== null;
    case 'keys':
      return Object.keys(target).filter(allowedKey);
    case 'own': {
      const descriptor = allowedKey(key)
        ? Reflect.getOwnPropertyDescriptor(target, key) : undefined;
      session.answerRaw(descriptor === undefined ? null : { e: descriptor.enumerable === true });
      return descriptor === undefined ? undefined : Reflect.get(target, key);
    }
    case 'instanceof':
      return values[0] instanceof target;
    default:
      throw new TypeError(`${String(op)} is not allowed on an object of the test`);
  }
}

// --- the tests' view of node:test and of the learner's modules ----------------------------------

/** A top-level test's key: its name and how many tests of that name came before it. node:test
 * reports names, in the order the tests were registered (its `file` is where `test()` was
 * called: this wrapper), so the reporter finds the same key by counting the same way. */
function testKey(file, name) {
  const count = (state.registered.get(name) || 0) + 1;
  state.registered.set(name, count);
  const key = `${name}\u0000${count}`;
  state.tests.set(key, { file, name, stop: null });
  return key;
}

/** The test function, telling the judge when it starts. Its arity is kept: node:test tells a
 * callback-style test, `(t, done) => ...`, by its length. */
function tracked(key, fn) {
  const test = state.tests.get(key);
  const start = () => {
    state.current = key;
    host.send({ ev: 'start', file: test.file, name: test.name });
  };
  if (fn.length >= 2) {
    return function callbackTest(t, done) {
      start();
      return fn.call(this, t, done);
    };
  }
  return function promiseTest(...args) {
    start();
    return fn.apply(this, args);
  };
}

function wrapTest(real, file) {
  const wrapped = function test(...args) {
    if (state.loading !== null) {
      const index = args.findIndex((arg) => typeof arg === 'function');
      const fn = index >= 0 ? args[index] : null;
      const name = typeof args[0] === 'string' ? args[0] : (fn && fn.name) || '<anonymous>';
      const key = testKey(file, name);
      if (fn) args[index] = tracked(key, fn);
    }
    return real.apply(this, args);
  };
  for (const variant of ['skip', 'todo', 'only']) {
    if (typeof real[variant] === 'function') wrapped[variant] = wrapTest(real[variant], file);
  }
  return wrapped;
}

const nodeTest = require('node:test');
const testModules = new Map();

function testModule(file) {
  let module = testModules.get(file);
  if (module === undefined) {
    module = wrapTest(nodeTest, file);
    for (const key of Reflect.ownKeys(nodeTest)) {
      if (!Object.prototype.hasOwnProperty.call(module, key)) {
        Object.defineProperty(module, key, Object.getOwnPropertyDescriptor(nodeTest, key));
      }
    }
    module.test = module;
    module.it = module;
    testModules.set(file, module);
  }
  return module;
}

/** The learner's file a test's `require(id)` names, if it names one. */
function learnerFile(from, id) {
  if (typeof id !== 'string' || !(id.startsWith('./') || id.startsWith('../'))) return null;
  const relative = path.relative(TESTS, path.resolve(path.dirname(from), id));
  if (relative.startsWith('..')) return null;
  for (const candidate of [relative, `${relative}.js`, `${relative}/index.js`]) {
    if (state.job.files.includes(candidate)) return candidate;
  }
  return null;
}

/** A learner's module as the tests see it; one that failed to load fails the same way for
 * every test file that requires it (as an import error is every test's verdict in Python). */
function learnerModule(name) {
  if (!state.modules.has(name)) {
    try {
      state.modules.set(name, { exports: state.session.ask({ op: 'import' }, [name]) });
    } catch (error) {
      state.modules.set(name, { error });
    }
  }
  const loaded = state.modules.get(name);
  if ('error' in loaded) throw loaded.error;
  return loaded.exports;
}

function installRequire() {
  const original = Module.prototype.require;
  Module.prototype.require = function require(id) {
    const from = typeof this.filename === 'string' ? this.filename : '';
    if (from.startsWith(`${TESTS}/`)) {
      if (id === 'node:test' || id === 'test') return testModule(path.basename(from));
      const name = learnerFile(from, id);
      if (name !== null) return learnerModule(name);
    }
    return original.apply(this, arguments);
  };
}

// --- verdicts ------------------------------------------------------------------------------------

function clip(message) {
  return String(message).slice(0, MESSAGE_LIMIT);
}

function assertionMessage(error) {
  // assert.ok(x) without a message quotes its own source line: never shown.
  if (error.generatedMessage && /evaluated to a falsy value/.test(String(error.message))) return '';
  return clip(error.message);
}

/** {outcome, message} or {stop} for what a test threw. */
function describe(value) {
  const codec = state.session && state.session.codec;
  if (value instanceof LearnerStopped) return { outcome: 'failed', stop: value.info() };
  if (value instanceof assert.AssertionError) {
    return { outcome: 'failed', message: assertionMessage(value) };
  }
  if (codec && codec.foreignErrors.has(value)) {
    const trace = codec.foreignErrors.get(value);
    const where = trace ? `\n${trace}` : '';
    return { outcome: 'error', message: clip(`${describeThrown(value)}${where}`) };
  }
  return { outcome: 'error', message: clip(describeThrown(value)) };
}

function verdict(data) {
  const details = data.details || {};
  const error = details.error;
  const marked = (flag) => flag !== undefined && flag !== false;
  if (marked(data.skip) || marked(data.todo)) {
    return { outcome: 'failed', skipped: true };
  }
  if (error === undefined) return { outcome: 'passed' };
  switch (error && error.failureType) {
    case 'testTimeoutFailure':
      return { outcome: 'failed', stop: { limit: 'timeout', code: null, after: false } };
    case 'cancelledByParent':
    case 'parentAlreadyFinished':
      return { outcome: 'failed', cancelled: true };
    default:
      return describe(error && error.cause !== undefined ? error.cause : error);
  }
}

/** node:test's events, as a reporter: each top-level test's verdict goes to the adapter. */
const reporter = {
  /** The verdict of the first subtest that failed in the running top-level test. */
  subFailure: null,

  handle(event) {
    const data = event.data || {};
    debug('event', event.type, data.nesting, data.name);
    if (data.nesting === 0 && event.type === 'test:dequeue') {
      this.subFailure = null;
    }
    if (event.type !== 'test:pass' && event.type !== 'test:fail') return;
    if (data.nesting > 0) {
      if (event.type === 'test:fail' && this.subFailure === null) {
        this.subFailure = verdict(data);
      }
      return;
    }
    this.result(data, event.type === 'test:fail');
  },

  result(data, failed) {
    const name = String(data.name);
    const count = (state.reported.get(name) || 0) + 1;
    state.reported.set(name, count);
    const test = state.tests.get(`${name}\u0000${count}`);
    if (!test) return; // a top-level `describe`: its tests earn no points
    let found = verdict(data);
    if (failed && found.outcome === 'passed') found = { outcome: 'failed', message: '' };
    if (found.outcome !== 'passed' && data.details && data.details.error
        && data.details.error.failureType === 'subtestsFailed' && this.subFailure) {
      found = this.subFailure;
    }
    // A test during which the learner's process stopped (or flooded) does not pass, even if
    // it caught what the call threw.
    if (test.stop) found = { outcome: 'failed', stop: test.stop };
    else if (found.cancelled && state.stopped) {
      found = { outcome: 'failed', stop: { ...state.stopped.info(), after: true } };
    }
    debug('verdict', name, found);
    host.send({ ev: 'test', file: test.file, name, ...found });
    state.finished += 1;
    checkDone();
  },
};

async function* report(source) {
  for await (const event of source) {
    try {
      reporter.handle(event);
    } catch (error) {
      process.stderr.write(`judge reporter: ${describeThrown(error)}\n`);
    }
  }
}

// --- the run ----------------------------------------------------------------------------------

/** Done when every top-level test registered while loading has its verdict (a `describe` at
 * the top is not waited for: its tests earn no points). */
function checkDone() {
  if (state.loaded && state.finished >= state.tests.size) finish();
}

function finish() {
  if (state.done) return;
  state.done = true;
  try {
    host.send({ ev: 'done' });
  } finally {
    process.exit(0);
  }
}

function loadError(file, error) {
  const found = describe(error);
  host.send({ ev: 'load', file, message: found.message || '', stop: found.stop || null });
}

function loadTests() {
  const files = fs.readdirSync(TESTS).filter((name) => name.endsWith('.test.js')).sort();
  for (const file of files) {
    const running = state.current;
    state.current = null;
    state.loading = file;
    try {
      require(path.join(TESTS, file));
    } catch (error) {
      loadError(file, error);
    } finally {
      state.loading = null;
      if (state.current === null) state.current = running;
    }
  }
}

function main() {
  const job = host.receive();
  state.job = {
    files: Array.isArray(job.files) ? job.files.filter((f) => typeof f === 'string') : [],
    outputLimit: Number.isInteger(job.output_limit) ? job.output_limit : 1000000,
  };
  state.deadline = now() + Math.max(Number(job.remaining) || 0, 0) * 1000;
  collectIntrinsics();
  state.session = new Session({
    fd: Number(process.env.LMS_LEARNER_FD),
    side: 'j',
    maxFrame: MAX_ANSWER,
    maxObjects: MAX_OBJECTS,
    serve: serveLearner,
    mayShare,
    hooks,
  });
  setTimeout(expire, Math.max(state.deadline - now(), 0));
  try {
    state.session.ask({ op: 'hello' }, [{ output_limit: state.job.outputLimit }]);
  } catch {
    // A process already gone: every test's import says so.
  }
  installRequire();
  loadTests();
  state.loaded = true;
  // Tests report asynchronously; if there were none, this is the end.
  setImmediate(checkDone);
}

module.exports = report;

if (require.main === module) main();

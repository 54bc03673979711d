'use strict';
/**
 * Plain data across the boundary between the judge and the learner's process, for JavaScript:
 * the mirror of codec.py. Both sides run this module (judge.js and learner.js); neither trusts
 * what the other sends. A value crosses as JSON in which everything JSON cannot say is a
 * one-key object whose key starts with `$`:
 *
 *   tag      value                                       rebuilt as
 *   (none)   null, true/false, finite numbers, strings   the same
 *   $u       0                                           undefined
 *   $f       "nan" | "inf" | "-inf" | "-0"               NaN, ±Infinity, -0
 *   $n       decimal string                              BigInt
 *   $sym     {d: description} | {k: key} | {w: name}     Symbol(d), Symbol.for(k), Symbol[w]
 *   $a       [id, level, dirty, [items]]                 Array
 *   $o       [id, level, dirty, nullProto, [[k, v]...]]  plain object (own enumerable string keys)
 *   $m / $s  [id, level, dirty, [[k, v]...] / [items]]   Map / Set
 *   $r       id                                          an object met earlier in the same message
 *   $date    milliseconds | null                         Date (null: an invalid date)
 *   $re      [source, flags]                             RegExp
 *   $b       [type, base64]                              Buffer, typed array, ArrayBuffer, DataView
 *   $g       name ("Map", "Math.max", "TypeError")       the receiver's own built-in of that name
 *   $e       {name, message, base, cls, props, trace}    an Error (built-in class, or a mirror)
 *   $x       {id, name, parent}                          an Error subclass: a mirror class
 *   $h       {id, k, n, t, p}                            the other side's object (a handle)
 *
 * Plain data crosses BY VALUE but keeps its IDENTITY: arrays, plain objects (prototype
 * Object.prototype or null), Maps and Sets carry an id ("j12": owned by the judge, "l7": by the
 * learner's process) and their integrity level (0 extensible, 1 not extensible, 2 sealed, 3
 * frozen). The receiver keeps one copy (a *replica*) per id: the same object sent twice is the
 * same object on arrival, and a replica sent back arrives as the original. So a learner's
 * function that returns the object it was given returns the test's own object
 * (`assert.equal(trouver(liste, 'x'), liste[4])`), and the state a test froze arrives frozen.
 *
 * The owner's copy is the truth: what the owner sends overwrites the replica in place. A replica
 * sent back carries `dirty`: whether its holder changed it since it arrived (its shallow
 * signature differs); the owner applies only dirty replicas (never a stale copy) and raises
 * the integrity level, never lowers it. After a call, the callee also sends back (`sync`) the
 * replicas of the call's arguments it changed, so a function that sorts the test's array in
 * place is seen to have done so.
 *
 * Everything else is a handle: functions, class instances, promises (settled later by a
 * message, see channel.js), module exports. Decoding never evaluates or requires anything; an
 * unknown tag, a malformed value, an unknown id of the receiver's or excessive depth is a
 * CodecError.
 */

const { types } = require('util');

const MAX_DEPTH = 200;
const ID = /^[jl][1-9][0-9]{0,14}$/;
const TRACE_FRAMES = 8;
const TRACE_CHARS = 3000;
const TEXT_LIMIT = 3000;

class CodecError extends Error {}
CodecError.prototype.name = 'CodecError';

// --- built-ins that cross by name --------------------------------------------------------------

const ERROR_NAMES = [
  'Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError',
  'AggregateError',
];
const TYPED_ARRAYS = [
  'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array',
  'Uint32Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array',
];
const CONSTRUCTORS = [
  'Object', 'Array', 'Number', 'String', 'Boolean', 'Symbol', 'BigInt', 'Date', 'Map', 'Set',
  'WeakMap', 'WeakSet', 'Promise', 'RegExp', 'ArrayBuffer', 'DataView', 'URL', 'URLSearchParams',
  'TextEncoder', 'TextDecoder', ...ERROR_NAMES, ...TYPED_ARRAYS,
];
const FUNCTIONS = [
  'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent',
  'encodeURI', 'decodeURI',
];
const WELL_KNOWN = [
  'iterator', 'asyncIterator', 'hasInstance', 'toPrimitive', 'toStringTag', 'species',
  'isConcatSpreadable', 'unscopables', 'match', 'matchAll', 'replace', 'search', 'split',
];

/** name -> this process's built-in, and back. Built when this module loads, before any
 * learner's code runs: each side maps a name to its own built-in, never to the other's. */
const NAMED = new Map();
const NAMES = new Map();

function addNamed(name, value) {
  if ((typeof value === 'function' || (typeof value === 'object' && value !== null))
      && !NAMES.has(value)) {
    NAMED.set(name, value);
    NAMES.set(value, name);
  }
}

for (const name of CONSTRUCTORS) {
  const ctor = globalThis[name];
  addNamed(name, ctor);
  if (typeof ctor !== 'function') continue;
  for (const key of Object.getOwnPropertyNames(ctor)) {
    const d = Object.getOwnPropertyDescriptor(ctor, key);
    if (d && typeof d.value === 'function') addNamed(`${name}.${key}`, d.value);
  }
}
for (const name of ['Math', 'JSON']) {
  for (const key of Object.getOwnPropertyNames(globalThis[name])) {
    const d = Object.getOwnPropertyDescriptor(globalThis[name], key);
    if (d && typeof d.value === 'function') addNamed(`${name}.${key}`, d.value);
  }
}
for (const name of FUNCTIONS) addNamed(name, globalThis[name]);
addNamed('Buffer', Buffer);

const WELL_KNOWN_NAMES = new Map(WELL_KNOWN.map((n) => [Symbol[n], n]));

// --- small helpers ------------------------------------------------------------------------------

const getPrototypeOf = Object.getPrototypeOf;
const promiseThen = Promise.prototype.then;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;
const dateTime = Date.prototype.getTime;
const errorToString = Error.prototype.toString;
const stringifyJSON = JSON.stringify;

function text(value, limit = TEXT_LIMIT) {
  try {
    return typeof value === 'string' ? value.slice(0, limit) : '';
  } catch {
    return '';
  }
}

/** What a value reads as, without letting it run code we would trust. */
function safeGet(object, key) {
  try {
    return object[key];
  } catch {
    return undefined;
  }
}

function integrity(value) {
  if (Object.isFrozen(value)) return 3;
  if (Object.isSealed(value)) return 2;
  return Object.isExtensible(value) ? 0 : 1;
}

function raiseIntegrity(value, level) {
  // A level only goes up: a frozen object never thaws.
  try {
    if (level >= 3) Object.freeze(value);
    else if (level === 2) Object.seal(value);
    else if (level === 1) Object.preventExtensions(value);
  } catch {
    // A holder's Proxy may refuse; the value stays as it is.
  }
}

/** 'array' | 'object' | 'map' | 'set' for the values that cross by value with an identity. */
function dataKind(value) {
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) return 'array';
  if (types.isMap(value)) return 'map';
  if (types.isSet(value)) return 'set';
  // (A Proxy answers through its traps: whatever they say is what it is worth, by value.)
  const proto = getPrototypeOf(value);
  return proto === Object.prototype || proto === null ? 'object' : null;
}

function isErrorClass(value) {
  if (typeof value !== 'function') return false;
  try {
    const proto = value.prototype;
    return typeof proto === 'object' && proto !== null && proto instanceof Error;
  } catch {
    return false;
  }
}

function nearestBuiltinError(value) {
  let proto = value;
  for (let i = 0; i < 64 && proto; i += 1) {
    proto = getPrototypeOf(proto);
    for (const name of ERROR_NAMES) {
      if (proto === globalThis[name].prototype) return name;
    }
  }
  return 'Error';
}

function safeName(value, fallback) {
  const name = text(value, 100);
  return /^[\p{L}_$][\p{L}\p{N}_$]*$/u.test(name) ? name : fallback;
}

function typeName(value) {
  try {
    const proto = getPrototypeOf(value);
    const ctor = proto && Object.getOwnPropertyDescriptor(proto, 'constructor');
    return safeName(ctor && typeof ctor.value === 'function' ? ctor.value.name : '', 'Object');
  } catch {
    return 'Object';
  }
}

function functionName(value) {
  try {
    const d = Object.getOwnPropertyDescriptor(value, 'name');
    return text(d && d.value, 100);
  } catch {
    return '';
  }
}

function numberToken(value) {
  return Object.is(value, -0) ? '-0' : String(value);
}

function check(condition, message) {
  if (!condition) throw new CodecError(message);
}

// --- the codec ---------------------------------------------------------------------------------

class Codec {
  /**
   * side: 'j' (the judge) or 'l' (the learner's process).
   * remote: the session the stand-ins act through (call, get, ... see channel.js).
   * mayShare(value): whether one of this side's objects may become a handle (the judge says no
   * to its internals); trace(error): the lines of an error's stack the other side may see.
   */
  constructor({ side, remote, mayShare = () => true, trace = () => '', maxObjects = Infinity }) {
    this.side = side;
    /** How many new objects one message may bring (the judge's memory is not the learner's). */
    this.maxObjects = maxObjects;
    this.remote = remote;
    this.mayShare = mayShare;
    this.trace = trace;
    this.count = 0;
    /** id -> object: this side's objects the other side knows, and the stand-ins for its own. */
    this.objects = new Map();
    this.ids = new WeakMap();
    /** Replicas of the other side's data, and each one's signature when it last matched. */
    this.replicas = new WeakSet();
    this.stamps = new WeakMap();
    /** This side's objects shared as handles (functions, instances, promises). */
    this.handles = new WeakSet();
    this.watched = new WeakSet();
    /** Stand-ins for the other side's promises: id -> {resolve, reject}. */
    this.receivers = new Map();
    /** Errors that came from the other side, with the lines of its stack it sent. */
    this.foreignErrors = new WeakMap();
    this.onSettled = null;
  }

  mine(id) {
    return id[0] === this.side;
  }

  own(value) {
    let id = this.ids.get(value);
    if (id === undefined) {
      this.count += 1;
      id = `${this.side}${this.count}`;
      this.objects.set(id, value);
      this.ids.set(value, id);
    }
    return id;
  }

  adopt(id, value) {
    this.objects.set(id, value);
    this.ids.set(value, id);
    return value;
  }

  encoder() {
    return new Encoding(this);
  }

  decoder(touched = null) {
    return new Decoding(this, touched);
  }

  /** The shallow signature of a data object: what its holder changed shows here. */
  signature(value, kind) {
    const token = (item) => {
      const type = typeof item;
      if ((type === 'object' && item !== null) || type === 'function') {
        return `o${this.ids.get(item) || this.own(item)}`;
      }
      if (type === 'number') return `n${numberToken(item)}`;
      if (type === 'symbol') return `y${String(item.description)}`;
      return `${type[0]}${String(item)}`;
    };
    const parts = [kind, integrity(value)];
    if (kind === 'array') {
      parts.push(value.length);
      for (let i = 0; i < value.length; i += 1) parts.push(token(value[i]));
    } else if (kind === 'object') {
      parts.push(getPrototypeOf(value) === null ? 1 : 0);
      for (const key of Object.keys(value)) parts.push(key, token(value[key]));
    } else if (kind === 'map') {
      for (const [key, item] of mapEntries.call(value)) parts.push(token(key), token(item));
    } else {
      for (const item of setValues.call(value)) parts.push(token(item));
    }
    return stringifyJSON(parts);
  }

  dirty(value, kind) {
    try {
      return this.signature(value, kind) !== this.stamps.get(value);
    } catch {
      return true;
    }
  }

  stamp(value, kind) {
    try {
      this.stamps.set(value, this.signature(value, kind));
    } catch {
      this.stamps.delete(value);
    }
  }

  /** A promise of this side's, shared: the other side hears once how it settles. */
  watch(id, promise) {
    if (this.watched.has(promise)) return;
    this.watched.add(promise);
    const report = (outcome) => {
      if (this.onSettled) this.onSettled(id, outcome);
    };
    promiseThen.call(promise, (value) => report({ value }), (error) => report({ error }));
  }

  /** The stand-in for one of the other side's promises. */
  receiver(id) {
    let promise = this.objects.get(id);
    if (promise !== undefined) return promise;
    let resolvers;
    promise = new Promise((resolve, reject) => {
      resolvers = { resolve, reject };
    });
    // Marked handled: a rejection nobody awaits is the other side's business, not a crash here.
    promiseThen.call(promise, null, () => {});
    this.receivers.set(id, resolvers);
    return this.adopt(id, promise);
  }

  settle(id, outcome) {
    const resolvers = this.receivers.get(id);
    if (resolvers === undefined) return;
    this.receivers.delete(id);
    if ('error' in outcome) resolvers.reject(outcome.error);
    else resolvers.resolve(outcome.value);
  }

  /** Every promise of the other side still pending fails with `error` (it stopped). */
  abandon(error) {
    for (const [id, resolvers] of this.receivers) {
      this.receivers.delete(id);
      resolvers.reject(error);
    }
  }
}

// --- encoding ----------------------------------------------------------------------------------

class Encoding {
  constructor(codec) {
    this.codec = codec;
    /** Objects already written in this message: written again as {$r: id}. */
    this.seen = new Set();
  }

  value(value, depth = 0) {
    switch (typeof value) {
      case 'undefined':
        return { $u: 0 };
      case 'boolean':
      case 'string':
        return value;
      case 'number':
        if (Number.isNaN(value)) return { $f: 'nan' };
        if (value === Infinity) return { $f: 'inf' };
        if (value === -Infinity) return { $f: '-inf' };
        return Object.is(value, -0) ? { $f: '-0' } : value;
      case 'bigint':
        return { $n: value.toString() };
      case 'symbol':
        return { $sym: symbolBody(value) };
      default:
        return value === null ? null : this.object(value, depth);
    }
  }

  values(list) {
    return list.map((item) => this.value(item));
  }

  object(value, depth) {
    check(depth <= MAX_DEPTH, 'value nested too deeply');
    const codec = this.codec;
    const name = NAMES.get(value);
    if (name !== undefined) return { $g: name };
    const id = codec.ids.get(value);
    if (id !== undefined && this.seen.has(value)) return { $r: id };
    if (id !== undefined && !codec.mine(id)) {
      if (codec.replicas.has(value)) return this.data(value, dataKind(value), id, depth);
      return { $h: { id } };
    }
    if (!codec.mayShare(value)) {
      const what = typeof value === 'function' ? 'this function' : 'this object';
      throw new CodecError(`${what} cannot be shared`);
    }
    const kind = dataKind(value);
    if (kind !== null) return this.data(value, kind, codec.own(value), depth);
    if (types.isDate(value)) {
      const time = dateTime.call(value);
      return { $date: Number.isNaN(time) ? null : time };
    }
    if (types.isRegExp(value)) return { $re: [text(value.source, 1 << 20), text(value.flags, 20)] };
    const bytes = encodeBytes(value);
    if (bytes !== null) return { $b: bytes };
    if (types.isNativeError(value) || value instanceof Error) {
      return { $e: this.error(value, depth) };
    }
    if (isErrorClass(value)) return { $x: this.errorClass(value, depth) };
    return { $h: this.handle(value) };
  }

  data(value, kind, id, depth) {
    const codec = this.codec;
    this.seen.add(value);
    // The owner's copy is the truth; a replica's holder says whether it changed it.
    const dirty = codec.mine(id) ? 1 : (codec.dirty(value, kind) ? 1 : 0);
    const level = integrity(value);
    let body;
    if (kind === 'array') {
      const items = [];
      for (let i = 0; i < value.length; i += 1) items.push(this.value(value[i], depth + 1));
      body = { $a: [id, level, dirty, items] };
    } else if (kind === 'object') {
      const entries = [];
      for (const key of Object.keys(value)) entries.push([key, this.value(value[key], depth + 1)]);
      body = { $o: [id, level, dirty, getPrototypeOf(value) === null ? 1 : 0, entries] };
    } else if (kind === 'map') {
      const entries = [];
      for (const [key, item] of mapEntries.call(value)) {
        entries.push([this.value(key, depth + 1), this.value(item, depth + 1)]);
      }
      body = { $m: [id, level, dirty, entries] };
    } else {
      const items = [];
      for (const item of setValues.call(value)) items.push(this.value(item, depth + 1));
      body = { $s: [id, level, dirty, items] };
    }
    if (!codec.mine(id) && dirty) codec.stamp(value, kind);
    return body;
  }

  handle(value) {
    const codec = this.codec;
    const id = codec.own(value);
    codec.handles.add(value);
    if (types.isPromise(value)) {
      codec.watch(id, value);
      return { id, k: 'promise' };
    }
    if (typeof value === 'function') return { id, k: 'function', n: functionName(value) };
    let proto = 0;
    try {
      const p = getPrototypeOf(value);
      proto = p === Object.prototype ? 1 : p === null ? 2 : 0;
    } catch {
      proto = 0;
    }
    return { id, k: 'object', t: typeName(value), p: proto };
  }

  /** One of this side's plain objects as a handle (module exports: read live, not copied). */
  asHandle(value) {
    if ((typeof value === 'object' && value !== null && dataKind(value) === 'object')
        && !NAMES.has(value)) {
      return { $h: this.handle(value) };
    }
    return this.value(value);
  }

  error(error, depth) {
    const codec = this.codec;
    const body = {
      name: text(safeGet(error, 'name'), 200) || 'Error',
      message: text(safeGet(error, 'message')),
      base: nearestBuiltinError(error),
      props: [],
      trace: '',
    };
    try {
      body.trace = codec.trace(error);
    } catch {
      body.trace = '';
    }
    try {
      const ctor = getPrototypeOf(error).constructor;
      if (isErrorClass(ctor) && !NAMES.has(ctor)) body.cls = this.errorClass(ctor, depth);
    } catch {
      // an error whose class cannot be read travels as its nearest built-in
    }
    let keys = [];
    try {
      keys = Object.keys(error).slice(0, 50);
    } catch {
      keys = [];
    }
    for (const key of keys) {
      if (key === 'name' || key === 'message' || key === 'stack') continue;
      try {
        body.props.push([key, this.value(error[key], depth + 1)]);
      } catch {
        // a property that cannot travel is left behind
      }
    }
    if (body.base === 'AggregateError') {
      try {
        body.errors = Array.from(error.errors || [], (e) => this.value(e, depth + 1));
      } catch {
        body.errors = [];
      }
    }
    return body;
  }

  errorClass(cls, depth) {
    check(depth <= MAX_DEPTH, 'class hierarchy too deep');
    const parent = getPrototypeOf(cls);
    const parentBody = NAMES.has(parent) && isErrorClass(parent)
      ? { $g: NAMES.get(parent) }
      : (isErrorClass(parent) ? { $x: this.errorClass(parent, depth + 1) } : { $g: 'Error' });
    const id = this.codec.own(cls);
    this.codec.handles.add(cls);
    return { id, name: safeName(functionName(cls), 'Error'), parent: parentBody };
  }

  /** What a caught exception says to the other side: an error, or the value thrown. */
  thrown(error) {
    if (types.isNativeError(error) || error instanceof Error) {
      return { error: this.error(error, 0) };
    }
    return { value: this.value(error) };
  }

  /** The replicas among `touched` their holder changed: sent back after a call. */
  changed(touched) {
    const out = [];
    if (!touched) return out;
    for (const value of touched) {
      const kind = dataKind(value);
      if (kind !== null && this.codec.dirty(value, kind)) out.push(this.value(value));
    }
    return out;
  }
}

function symbolBody(symbol) {
  const wellKnown = WELL_KNOWN_NAMES.get(symbol);
  if (wellKnown) return { w: wellKnown };
  const key = Symbol.keyFor(symbol);
  if (key !== undefined) return { k: text(key, 1000) };
  return { d: symbol.description === undefined ? null : text(symbol.description, 1000) };
}

function encodeBytes(value) {
  let type = null;
  let view = null;
  if (Buffer.isBuffer(value)) {
    type = 'Buffer';
    view = value;
  } else if (types.isTypedArray(value)) {
    type = TYPED_ARRAYS.find((name) => value instanceof globalThis[name]) || 'Uint8Array';
    view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  } else if (types.isArrayBuffer(value)) {
    type = 'ArrayBuffer';
    view = Buffer.from(value);
  } else if (types.isDataView(value)) {
    type = 'DataView';
    view = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return type === null ? null : [type, view.toString('base64')];
}

function decodeBytes(body) {
  check(Array.isArray(body) && body.length === 2, 'malformed bytes');
  const [type, data] = body;
  check(typeof data === 'string' && /^[A-Za-z0-9+/]*={0,2}$/.test(data), 'malformed bytes');
  const bytes = Buffer.from(data, 'base64');
  if (type === 'Buffer') return bytes;
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  if (type === 'ArrayBuffer') return copy;
  if (type === 'DataView') return new DataView(copy);
  check(TYPED_ARRAYS.includes(type), 'unknown byte type');
  const ctor = globalThis[type];
  check(bytes.length % ctor.BYTES_PER_ELEMENT === 0, 'malformed bytes');
  return new ctor(copy);
}

// --- decoding ----------------------------------------------------------------------------------

class Decoding {
  /** touched: a Set that collects the replicas met (the arguments of a call, to send back). */
  constructor(codec, touched) {
    this.codec = codec;
    this.touched = touched;
    this.created = 0;
  }

  /** One more object this message brings; too many is a message refused. */
  count() {
    this.created += 1;
    check(this.created <= this.codec.maxObjects, 'too many objects in one message');
  }

  value(data, depth = 0) {
    const type = typeof data;
    if (data === null || type === 'boolean' || type === 'string') return data;
    if (type === 'number') return data;
    check(depth <= MAX_DEPTH, 'value nested too deeply');
    check(type === 'object' && !Array.isArray(data), 'malformed value');
    const keys = Object.keys(data);
    check(keys.length === 1, 'malformed value');
    const tag = keys[0];
    const body = data[tag];
    switch (tag) {
      case '$u':
        return undefined;
      case '$f':
        return decodeFloat(body);
      case '$n':
        check(typeof body === 'string' && /^-?[0-9]{1,100000}$/.test(body), 'malformed bigint');
        return BigInt(body);
      case '$sym':
        return decodeSymbol(body);
      case '$a':
      case '$o':
      case '$m':
      case '$s':
        return this.data(tag, body, depth);
      case '$r':
        check(typeof body === 'string' && this.codec.objects.has(body), 'unknown reference');
        return this.codec.objects.get(body);
      case '$date':
        check(body === null || typeof body === 'number', 'malformed date');
        return new Date(body === null ? NaN : body);
      case '$re':
        check(Array.isArray(body) && typeof body[0] === 'string' && typeof body[1] === 'string',
          'malformed regexp');
        try {
          return new RegExp(body[0], body[1]);
        } catch {
          throw new CodecError('malformed regexp');
        }
      case '$b':
        return decodeBytes(body);
      case '$g':
        check(typeof body === 'string' && NAMED.has(body), 'unknown built-in');
        return NAMED.get(body);
      case '$e':
        return this.error(body, depth);
      case '$x':
        return this.errorClass(body, depth);
      case '$h':
        return this.handle(body);
      default:
        throw new CodecError(`unknown tag ${String(tag).slice(0, 20)}`);
    }
  }

  values(list) {
    check(Array.isArray(list), 'malformed values');
    return list.map((item) => this.value(item));
  }

  data(tag, body, depth) {
    const codec = this.codec;
    check(Array.isArray(body) && body.length === (tag === '$o' ? 5 : 4), 'malformed data');
    const [id, level, dirty] = body;
    check(typeof id === 'string' && ID.test(id), 'malformed id');
    check(Number.isInteger(level) && level >= 0 && level <= 3, 'malformed level');
    const items = body[body.length - 1];
    check(Array.isArray(items), 'malformed items');
    const kind = { $a: 'array', $o: 'object', $m: 'map', $s: 'set' }[tag];
    let target = codec.objects.get(id);
    const mine = codec.mine(id);
    if (target === undefined) {
      check(!mine, 'unknown object');
      this.count();
      target = kind === 'array' ? [] : kind === 'map' ? new Map() : kind === 'set' ? new Set()
        : (body[3] === 1 ? Object.create(null) : {});
      codec.adopt(id, target);
      codec.replicas.add(target);
    }
    check(dataKind(target) === kind, 'an object of another kind');
    // Children first (they may be replicas with changes of their own), then this object.
    const values = this.contents(kind, items, depth);
    if (!mine || dirty === 1) fill(target, kind, values);
    raiseIntegrity(target, level);
    if (!mine) {
      codec.stamp(target, kind);
      if (this.touched) this.touched.add(target);
    }
    return target;
  }

  contents(kind, items, depth) {
    if (kind === 'array' || kind === 'set') return items.map((x) => this.value(x, depth + 1));
    return items.map((pair) => {
      check(Array.isArray(pair) && pair.length === 2, 'malformed entry');
      if (kind === 'object') {
        check(typeof pair[0] === 'string', 'malformed key');
        return [pair[0], this.value(pair[1], depth + 1)];
      }
      return [this.value(pair[0], depth + 1), this.value(pair[1], depth + 1)];
    });
  }

  handle(body) {
    const codec = this.codec;
    check(typeof body === 'object' && body !== null && typeof body.id === 'string'
      && ID.test(body.id), 'malformed handle');
    const known = codec.objects.get(body.id);
    if (known !== undefined) return known;
    check(!codec.mine(body.id), 'unknown object');
    this.count();
    if (body.k === 'promise') return codec.receiver(body.id);
    if (body.k === 'function') {
      return codec.adopt(body.id, remoteFunction(codec.remote, body.id, text(body.n, 100)));
    }
    check(body.k === 'object', 'malformed handle');
    const proto = body.p === 1 ? Object.prototype : body.p === 2 ? null
      : standInPrototype(safeName(body.t, 'Object'));
    return codec.adopt(body.id, remoteObject(codec.remote, body.id, proto));
  }

  errorClass(body, depth) {
    const codec = this.codec;
    check(typeof body === 'object' && body !== null && typeof body.id === 'string'
      && ID.test(body.id), 'malformed class');
    const known = codec.objects.get(body.id);
    if (known !== undefined) return known;
    check(!codec.mine(body.id), 'unknown class');
    const parent = this.value(body.parent, depth + 1);
    check(isErrorClass(parent), 'malformed class');
    const name = safeName(body.name, 'Error');
    // A real class of this side, named as the other side's, deriving from the mirror of its
    // parent: `assert.throws(fn, SoldeInsuffisant)` and `instanceof RangeError` both hold.
    const mirror = { [name]: class extends parent {} }[name];
    return codec.adopt(body.id, mirror);
  }

  error(body, depth) {
    check(typeof body === 'object' && body !== null, 'malformed error');
    const name = text(body.name, 200) || 'Error';
    const message = text(body.message);
    const base = ERROR_NAMES.includes(body.base) ? body.base : 'Error';
    let ctor = globalThis[base];
    if (body.cls !== undefined) {
      const cls = this.errorClass(body.cls, depth + 1);
      if (isErrorClass(cls)) ctor = cls;
    }
    let error;
    if (base === 'AggregateError') {
      const errors = Array.isArray(body.errors)
        ? body.errors.map((e) => this.value(e, depth + 1)) : [];
      error = Reflect.construct(AggregateError, [errors, message], ctor);
    } else {
      error = Reflect.construct(globalThis[base], [message], ctor);
    }
    if (error.name !== name) {
      Object.defineProperty(error, 'name', { value: name, writable: true, configurable: true });
    }
    const props = Array.isArray(body.props) ? body.props.slice(0, 50) : [];
    for (const pair of props) {
      if (!Array.isArray(pair) || typeof pair[0] !== 'string' || pair.length !== 2) continue;
      if (pair[0] === '__proto__' || pair[0] === 'constructor') continue;
      Object.defineProperty(error, pair[0], {
        value: this.value(pair[1], depth + 1), writable: true, enumerable: true, configurable: true,
      });
    }
    const trace = text(body.trace, TRACE_CHARS);
    // Its stack says where the other side's code was (its own files only), never where ours is.
    Object.defineProperty(error, 'stack', {
      value: `${name}: ${message}${trace ? `\n${trace}` : ''}`, writable: true, configurable: true,
    });
    this.codec.foreignErrors.set(error, trace);
    return error;
  }

  /** The exception an answer carries, ready to throw. */
  thrown(body) {
    check(typeof body === 'object' && body !== null, 'malformed exception');
    if ('error' in body) return this.error(body.error, 0);
    return this.value(body.value);
  }
}

function decodeFloat(body) {
  switch (body) {
    case 'nan':
      return NaN;
    case 'inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case '-0':
      return -0;
    default:
      throw new CodecError('bad float');
  }
}

function decodeSymbol(body) {
  check(typeof body === 'object' && body !== null, 'malformed symbol');
  if (typeof body.w === 'string') {
    check(WELL_KNOWN.includes(body.w), 'unknown symbol');
    return Symbol[body.w];
  }
  if (typeof body.k === 'string') return Symbol.for(body.k);
  check(body.d === null || typeof body.d === 'string', 'malformed symbol');
  return body.d === null ? Symbol() : Symbol(body.d);
}

/** Write `values` into a data object in place; what cannot change (frozen, accessors) stays. */
function fill(target, kind, values) {
  try {
    if (kind === 'array') fillArray(target, values);
    else if (kind === 'object') fillObject(target, values);
    else if (kind === 'map') {
      Map.prototype.clear.call(target);
      for (const [key, item] of values) Map.prototype.set.call(target, key, item);
    } else {
      Set.prototype.clear.call(target);
      for (const item of values) Set.prototype.add.call(target, item);
    }
  } catch {
    // a frozen or sealed object keeps what it has
  }
}

function fillArray(target, values) {
  if (Object.isFrozen(target)) return;
  if (target.length !== values.length) target.length = values.length;
  for (let i = 0; i < values.length; i += 1) {
    if (!Object.is(target[i], values[i]) || !(i in target)) target[i] = values[i];
  }
}

function fillObject(target, entries) {
  if (Object.isFrozen(target)) return;
  const keys = new Set(entries.map(([key]) => key));
  for (const key of Object.keys(target)) {
    if (!keys.has(key)) {
      try {
        delete target[key];
      } catch {
        // not configurable: it stays
      }
    }
  }
  for (const [key, value] of entries) {
    const current = Object.getOwnPropertyDescriptor(target, key);
    if (current && !('value' in current)) continue; // an accessor of the owner's stays its own
    if (current && Object.is(current.value, value)) continue;
    if (current && !current.writable) continue;
    try {
      Object.defineProperty(target, key, {
        value, writable: true, enumerable: true, configurable: true,
      });
    } catch {
      // not extensible: the key is not added
    }
  }
}

// --- stand-ins for the other side's objects ------------------------------------------------------

const prototypes = new Map();

/** A prototype named after the other side's class: messages read `Produit {}`, and such a
 * stand-in is never deep-equal to a plain object. */
function standInPrototype(name) {
  let proto = prototypes.get(name);
  if (proto === undefined) {
    proto = ({ [name]: class {} })[name].prototype;
    prototypes.set(name, proto);
  }
  return proto;
}

/** Function.prototype's own methods: called locally, they go through the stand-in's `apply`. */
const LOCAL_FUNCTION_KEYS = new Set(['call', 'apply', 'bind', 'toString']);
/** Symbols a stand-in forwards; the others (toPrimitive, inspect.custom...) it does not have. */
const FORWARDED_SYMBOLS = new Set(['iterator', 'asyncIterator', 'toStringTag']);

function remoteKey(key) {
  if (typeof key === 'string') return key;
  const name = WELL_KNOWN_NAMES.get(key);
  return name && FORWARDED_SYMBOLS.has(name) ? { w: name } : null;
}

/** Which object of the other side a stand-in's target stands for (one handler for all). */
const standing = new WeakMap();

function handler(isFunction) {
  const of = (target) => standing.get(target);
  return {
    apply: (target, thisArg, args) => of(target).remote.call(of(target).id, thisArg, args),
    construct: (target, args) => of(target).remote.construct(of(target).id, args),
    get(target, key) {
      const { remote, id } = of(target);
      if (isFunction && key === Symbol.hasInstance) return (value) => remote.instanceOf(id, value);
      if (isFunction && typeof key === 'string' && LOCAL_FUNCTION_KEYS.has(key)) {
        return Function.prototype[key];
      }
      const wire = remoteKey(key);
      if (wire === null) return undefined;
      return remote.get(id, wire);
    },
    set(target, key, value) {
      const wire = remoteKey(key);
      if (wire === null) return false;
      of(target).remote.set(of(target).id, wire, value);
      return true;
    },
    has(target, key) {
      const wire = remoteKey(key);
      if (wire === null) return false;
      return of(target).remote.has(of(target).id, wire);
    },
    deleteProperty(target, key) {
      const wire = remoteKey(key);
      if (wire === null) return true;
      return of(target).remote.deleteProperty(of(target).id, wire);
    },
    ownKeys(target) {
      const keys = of(target).remote.keys(of(target).id).filter((k) => typeof k === 'string');
      // The target's own non-configurable keys must be listed (a Proxy invariant).
      for (const key of Reflect.ownKeys(target)) {
        const d = Reflect.getOwnPropertyDescriptor(target, key);
        if (d && !d.configurable && !keys.includes(key)) keys.push(key);
      }
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      const own = Reflect.getOwnPropertyDescriptor(target, key);
      if (own && !own.configurable) return own;
      if (typeof key !== 'string') return undefined;
      const found = of(target).remote.own(of(target).id, key);
      if (found === null) return undefined;
      const { value, enumerable } = found;
      return { value, writable: true, enumerable, configurable: true };
    },
    defineProperty: () => false,
    setPrototypeOf: () => false,
    preventExtensions: () => false,
  };
}

const FUNCTION_HANDLER = handler(true);
const OBJECT_HANDLER = handler(false);

function remoteFunction(remote, id, name) {
  // A plain `function` target: constructible, so `new Classe()` reaches the other side.
  const target = function () {};
  Object.defineProperty(target, 'name', { value: name || 'anonymous' });
  standing.set(target, { remote, id });
  return new Proxy(target, FUNCTION_HANDLER);
}

function remoteObject(remote, id, proto) {
  const target = Object.create(proto);
  standing.set(target, { remote, id });
  return new Proxy(target, OBJECT_HANDLER);
}

/** Lines of an error's stack in the learner's own files (`/tmp/work/...`), never others. */
function workTrace(error, work) {
  let stack;
  try {
    stack = String(error.stack);
  } catch {
    return '';
  }
  const prefix = `${work}/`;
  const lines = stack.split('\n');
  const shown = [];
  // A SyntaxError starts with "file:line", the code and a caret, before its message.
  if (lines[0].startsWith(prefix)) {
    const end = lines.findIndex((line) => /^\w*Error\b/.test(line));
    shown.push(...lines.slice(0, end > 0 ? end : 3).filter((line) => line.trim()));
  }
  const frames = lines.filter((line) => /^\s+at /.test(line) && line.includes(prefix)
    && !line.includes('/grader/'));
  shown.push(...frames.slice(0, TRACE_FRAMES));
  return shown.join('\n').split(prefix).join('').slice(-TRACE_CHARS);
}

function describeThrown(value) {
  if (types.isNativeError(value) || value instanceof Error) {
    try {
      return errorToString.call(value);
    } catch {
      return 'Error';
    }
  }
  try {
    return String(value).slice(0, TEXT_LIMIT);
  } catch {
    return typeof value;
  }
}

module.exports = {
  Codec, CodecError, NAMED, NAMES, ERROR_NAMES, MAX_DEPTH, dataKind, describeThrown, workTrace,
};

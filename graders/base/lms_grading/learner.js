'use strict';
/**
 * The learner's side of a JavaScript grading: serves the judge's requests on the learner's
 * objects. The mirror of learner.py.
 *
 * Runs as the learner's uid, in a box of its own started fresh for one submission (or started
 * ahead and used once), with file descriptor 3 connected to the judge. Nothing here is trusted:
 * the learner's code shares this process and may rewrite any of it (node:assert, the console,
 * this very server). That is harmless by design: the judge reads only plain data from this
 * process (codec.js), never code, and this process can read neither the hidden tests nor the
 * judge's memory, nor signal the judge.
 *
 * Requests (`op`): hello (limits; the learner's files are copied from /job/submission, read-only,
 * to /tmp/work), import (require a file of /tmp/work: its exports, read live), call, new, get,
 * set, delete, has, keys, own, instanceof, settle (a promise of the judge's settled). Each
 * answer carries `ok` (a value) or `exc` (what the learner's code threw), `sync` (the
 * arguments it changed), and what the code printed meanwhile (`out`, `flood`).
 */

const fs = require('fs');
const path = require('path');
const { Session, AsHandle } = require('./channel.js');
const { workTrace, describeThrown } = require('./codec.js');

const SUBMISSION = '/job/submission';
const WORK = '/tmp/work';
/** What the judge may send in one message (its values are plain data it chose to send). */
const MAX_FRAME = 256 * 1024 * 1024;
/** What one answer carries of the learner's output (the rest is counted, not kept). */
const KEPT_PER_ANSWER = 64 * 1024;

/** What the learner's code prints: kept per request, counted over the whole run. Past the
 * limit it goes to the box's real output, which the sandbox cuts off (and reports) itself. */
class Output {
  constructor() {
    this.limit = 1000000;
    this.printed = 0;
    this.captures = [];
    this.idleFlood = false;
  }

  write(fd, chunk, encoding) {
    let textChunk;
    try {
      textChunk = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    } catch {
      textChunk = String(chunk);
    }
    this.printed += Buffer.byteLength(textChunk, 'utf8');
    const top = this.captures[this.captures.length - 1];
    if (this.printed > this.limit) {
      if (top) top.flood = true;
      else this.idleFlood = true;
      try {
        fs.writeSync(fd, textChunk);
      } catch {
        // the sandbox stopped reading: it is stopping the box
      }
    } else if (top && top.size < KEPT_PER_ANSWER) {
      top.parts.push(textChunk.slice(0, KEPT_PER_ANSWER - top.size));
      top.size += textChunk.length;
    }
    const callback = typeof encoding === 'function' ? encoding : arguments[3];
    if (typeof callback === 'function') process.nextTick(callback);
    return true;
  }

  begin() {
    const capture = { parts: [], size: 0, flood: this.idleFlood };
    this.idleFlood = false;
    this.captures.push(capture);
    return {
      end: () => {
        const index = this.captures.lastIndexOf(capture);
        if (index >= 0) this.captures.splice(index, 1);
        return { out: capture.parts.join(''), flood: capture.flood };
      },
    };
  }

  install() {
    for (const [stream, fd] of [[process.stdout, 1], [process.stderr, 2]]) {
      stream.write = (chunk, encoding, callback) => this.write(fd, chunk, encoding, callback);
    }
  }
}

const output = new Output();

/** Copy the learner's files into a writable folder of its own and work from there. */
function prepareWorkdir() {
  fs.mkdirSync(WORK, { recursive: true });
  if (fs.existsSync(SUBMISSION)) {
    fs.cpSync(SUBMISSION, WORK, { recursive: true, dereference: false });
  }
  process.chdir(WORK);
}

function hello(settings) {
  if (settings && Number.isInteger(settings.output_limit) && settings.output_limit > 0) {
    output.limit = settings.output_limit;
  }
  prepareWorkdir();
  return null;
}

/** A file of the learner's, by its path relative to the work folder. */
function load(name) {
  if (typeof name !== 'string' || name.length > 500 || path.isAbsolute(name)
      || name.split(/[\\/]/).includes('..')) {
    throw new TypeError('bad module name');
  }
  // eslint-disable-next-line global-require, import/no-dynamic-require
  return require(path.join(WORK, name));
}

function serve(op, target, values, { key, session }) {
  switch (op) {
    case 'hello':
      return hello(values[0]);
    case 'import':
      return new AsHandle(load(values[0]));
    case 'call':
      return Reflect.apply(target, values[0], values.slice(1));
    case 'new':
      return Reflect.construct(target, values);
    case 'get':
      return target[key];
    case 'set':
      target[key] = values[0];
      return undefined;
    case 'delete':
      return delete target[key];
    case 'has':
      return key in Object(target);
    case 'keys':
      return Object.keys(target);
    case 'own': {
      const descriptor = Object.getOwnPropertyDescriptor(target, key);
      const value = descriptor === undefined ? undefined
        : ('value' in descriptor ? descriptor.value : target[key]);
      session.answerRaw(descriptor === undefined ? null : { e: descriptor.enumerable === true });
      return value;
    }
    case 'instanceof':
      return values[0] instanceof target;
    default:
      throw new TypeError('unknown request');
  }
}

function main() {
  output.install();
  // The learner's code may throw from a timer or leave a promise rejected: in one process that
  // would end the run, here it is printed (to the capture) and the server goes on.
  process.on('uncaughtException', (error) => {
    process.stderr.write(`Uncaught ${describeThrown(error)}\n`);
  });
  process.on('unhandledRejection', (error) => {
    process.stderr.write(`Unhandled rejection: ${describeThrown(error)}\n`);
  });
  const stop = () => process.exit(0);
  const session = new Session({
    fd: 3,
    side: 'l',
    maxFrame: MAX_FRAME,
    serve,
    drain: true,
    trace: (error) => workTrace(error, WORK),
    hooks: {
      capture: () => output.begin(),
      // The judge is gone (or spoke nonsense): nothing is left to do here.
      broken: (error) => {
        stop();
        return error;
      },
      closed: stop,
    },
  });
  return session;
}

main();

"""The JavaScript grader: the hidden node:test files run in the judge's box, the learner's modules
in the learner's, and values cross between them as plain data.

Honest submissions are graded as node:test would grade them in one process: synchronous calls,
callbacks and promises both ways, the learner's own timers, identity and frozenness of the
test's objects, exceptions by class. Hostile ones (the attacks that forged full marks when the
learner's code shared node's process with the tests, and the resource ones) end *graded*: a
result, below full marks (0 where nothing is right), in time, with no line of the hidden tests.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from lms import grading
from sandbox import Job, Limits, RunResult, run
from sandbox.framework import node_tests
from sandbox.warm import WarmPool

pytestmark = pytest.mark.docker

EXERCISES = Path(__file__).resolve().parents[2] / "exercises" / "javascript-frontend"
LIMITS = Limits(timeout_seconds=3, memory_mb=256, grace_seconds=4)
#: Box start-up and clean-up on a busy 2-core machine.
MARGIN = 4.0

STRICT = """\
const test = require('node:test');
const assert = require('node:assert/strict');
const { total, charger } = require('./panier.js');

test('un panier vide vaut 0 [2 pts]', () => {
  assert.equal(total([]), 0, "total([]) devrait valoir 0");
});

test('additionne prix × quantité [3 pts]', () => {
  const obtenu = total([{ prix: 10, quantite: 2 }, { prix: 5, quantite: 1 }]);
  assert.equal(obtenu, 25, `le total devrait valoir 25, obtenu ${JSON.stringify(obtenu)}`);
});

test("charge le panier avec la fonction donnée [1 pt]", async () => {
  const lignes = [{ prix: 4, quantite: 3 }];
  const appels = [];
  const lire = async (url) => { appels.push(url); return lignes; };
  assert.equal(await charger(lire), 12, "charger(lire) devrait valoir 12");
  assert.deepEqual(appels, ['/panier'], "lire('/panier') devrait être appelée une fois");
});
"""
#: The same, with node:assert's loose comparisons (==), where valueOf and toString count.
LOOSE = """\
const test = require('node:test');
const assert = require('node:assert');
const { total } = require('./panier.js');

test('total sans rigueur [1 pt]', () => {
  assert.equal(total([{ prix: 7, quantite: 1 }]), 7, 'le total devrait valoir 7');
  assert.deepEqual(total([]), 0, 'le total devrait valoir 0');
});
"""
SOLUTION = """\
const total = (lignes) => lignes.reduce((s, l) => s + l.prix * l.quantite, 0);
async function charger(lire) { return total(await lire('/panier')); }
module.exports = { total, charger };
"""
WRONG = "module.exports = { total: () => -1, charger: async () => -1 };\n"
MAX_SCORE = 7


@pytest.fixture
def tests_dir(tmp_path) -> Path:
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "panier.test.js").write_text(STRICT)
    (tests / "souple.test.js").write_text(LOOSE)
    return tests


@pytest.fixture(scope="module")
def pool():
    made = WarmPool(1)
    yield made
    made.close()


def make_job(tests: Path, files: dict[str, str], limits: Limits = LIMITS) -> Job:
    return Job(
        image=grading.get("javascript").image,
        files=files,
        tests_dir=tests,
        limits=limits,
        max_score=sum(t.points for t in node_tests.discover_tests(tests)),
    )


def grade(job: Job, pool: WarmPool | None = None) -> tuple[RunResult, float]:
    """The result (a RunResult whatever the code did) and how long it took."""
    started = time.monotonic()
    result = pool.run(job) if pool is not None else run(job)
    assert isinstance(result, RunResult)
    return result, time.monotonic() - started


def warmed(pool: WarmPool, job: Job) -> WarmPool:
    """``pool`` with the exercise's judge prepared and a learner's box started ahead."""
    pool.warm_up(job)
    deadline = time.monotonic() + 60
    while not (pool.zygotes() and pool.ready()):
        assert time.monotonic() < deadline, "the pool did not warm up"
        time.sleep(0.1)
    return pool


def hidden_lines(tests: Path) -> set[str]:
    """Lines of the hidden tests long enough to be recognised (as the judge's scrub counts)."""
    lines: set[str] = set()
    for path in tests.rglob("*.js"):
        lines |= {ln.strip() for ln in path.read_text().splitlines() if len(ln.strip()) >= 12}
    return lines


def assert_no_hidden_line(result: RunResult, tests: Path) -> None:
    secret = hidden_lines(tests)
    shown = [result.feedback, *(t.message for t in result.tests), *(t.name for t in result.tests)]
    for text in shown:
        for line in text.splitlines():
            assert line.strip() not in secret, f"hidden test line leaked: {line!r}"


def messages(result: RunResult) -> str:
    return "\n".join(f"{t.outcome}: {t.message}" for t in result.tests)


# --- honest submissions ---------------------------------------------------------------------------


def test_points_come_from_the_test_names(tests_dir):
    assert [(t.description, t.points) for t in node_tests.discover_tests(tests_dir)] == [
        ("un panier vide vaut 0", 2),
        ("additionne prix × quantité", 3),
        ("charge le panier avec la fonction donnée", 1),
        ("total sans rigueur", 1),
    ]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_the_solution_earns_full_marks(tests_dir, pool, warm):
    job = make_job(tests_dir, {"panier.js": SOLUTION})
    result, _ = grade(job, warmed(pool, job) if warm else None)
    assert result.score == MAX_SCORE, messages(result)
    assert result.limit_hit is None


@pytest.mark.parametrize("name", sorted(p.name for p in EXERCISES.iterdir() if p.is_dir()))
@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_every_exercise_solution_earns_full_marks_and_its_starter_less(pool, name, warm):
    folder = EXERCISES / name
    limits = Limits(timeout_seconds=10, memory_mb=256)
    solution = make_job(folder / "tests", _files(folder / "solution"), limits)
    starter = make_job(folder / "tests", _files(folder / "starter"), limits)
    chosen = warmed(pool, solution) if warm else None
    result, _ = grade(solution, chosen)
    assert result.score == result.max_score, messages(result)
    result, _ = grade(starter, chosen)
    assert result.score < result.max_score
    assert_no_hidden_line(result, folder / "tests")


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted(folder.iterdir()) if p.is_file()}


def test_tests_that_wait_on_timers_are_all_reported(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    waits = "\n".join(
        f"test('attente {i} [1 pt]', async () => {{"
        f" await new Promise((r) => setTimeout(r, 30)); assert.equal(total([]), 0); }});"
        for i in range(6)
    )
    (tests / "panier.test.js").write_text(STRICT + waits + "\n")
    result, _ = grade(make_job(tests, {"panier.js": SOLUTION}))
    assert result.score == result.max_score == 12, messages(result)


def test_a_wrong_answer_quotes_the_assertion_message(tests_dir):
    result, _ = grade(make_job(tests_dir, {"panier.js": SOLUTION.replace("l.prix *", "")}))
    assert result.score == 2
    failed = result.tests[1]
    assert failed.outcome == "failed"
    assert failed.message == "le total devrait valoir 25, obtenu 3"


def test_a_crash_is_told_apart_from_a_wrong_answer(tests_dir):
    code = "module.exports = { total: (l) => l[5].prix, charger: async () => null.x };\n"
    result, _ = grade(make_job(tests_dir, {"panier.js": code}))
    assert {t.outcome for t in result.tests} == {"error"}
    assert result.tests[0].message.startswith("TypeError: Cannot read properties of undefined")
    # Where in the learner's own file; never a frame of the judge's.
    assert "at total (panier.js:1:" in result.tests[0].message
    assert "/grader/" not in messages(result) and "/job/tests" not in messages(result)


def test_a_syntax_error_is_reported_on_every_test(tests_dir):
    result, _ = grade(make_job(tests_dir, {"panier.js": "module.exports = { total: (l) => 0 ; \n"}))
    assert result.score == 0
    assert all("SyntaxError" in t.message and "panier.js:1" in t.message for t in result.tests)


SEMANTICS = """\
const test = require('node:test');
const assert = require('node:assert/strict');
const { trouver, trierSurPlace, retirer, Solde, plusTard, compter, valeurs, Compteur } =
  require('./outils.js');

test('renvoie le même objet, toujours gelé [1 pt]', () => {
  const liste = Object.freeze([{ ref: 'A' }, { ref: 'B' }].map(Object.freeze));
  assert.equal(trouver(liste, 'B'), liste[1]);
  assert.ok(Object.isFrozen(liste[1]));
});

test('trie sur place le tableau reçu [1 pt]', () => {
  const nombres = [3, 1, 2];
  assert.equal(trierSurPlace(nombres), nombres);
  assert.deepEqual(nombres, [1, 2, 3]);
});

test('lève des erreurs de la bonne classe [1 pt]', () => {
  assert.throws(() => retirer(100, 500), RangeError);
  assert.throws(() => retirer(100, 500), Solde);
  assert.throws(() => retirer(100, 500), (e) => e instanceof Error && e.name === 'Solde'
    && e.message === 'solde insuffisant' && e.manque === 400);
});

test('ses minuteurs tournent et rappellent le test [1 pt]', async () => {
  const vus = [];
  const fin = plusTard(20, (x) => vus.push(x));
  assert.deepEqual(vus, []);
  assert.equal(await fin, 'fini');
  assert.deepEqual(vus, ['tic']);
});

test('attend une promesse du test [1 pt]', async () => {
  let ouvrir;
  const porte = new Promise((resolve) => { ouvrir = resolve; });
  const nombre = compter(porte);
  ouvrir([1, 2, 3]);
  assert.equal(await nombre, 3);
  await assert.rejects(compter(Promise.reject(new TypeError('non'))), TypeError);
});

test('les valeurs de JavaScript arrivent telles quelles [1 pt]', () => {
  assert.deepEqual(valeurs(), {
    nan: NaN, moins: -Infinity, zero: -0, grand: 2n ** 70n, rien: undefined, vide: null,
    date: new Date(0), carte: new Map([['a', new Set([1, 'b'])]]), octets: Buffer.from('xyz'),
    sansProto: Object.assign(Object.create(null), { a: 1 }),
  });
});

test('une instance de sa classe répond pour elle-même [1 pt]', () => {
  const c = new Compteur();
  c.ajouter(2);
  c.ajouter(3);
  assert.equal(c.total, 5);
  assert.ok(c instanceof Compteur);
  assert.notDeepEqual(c, { total: 5 });
});
"""
OUTILS = """\
'use strict';
console.log('chargement de outils.js');
class Solde extends RangeError {
  constructor(manque) { super('solde insuffisant'); this.name = 'Solde'; this.manque = manque; }
}
class Compteur { constructor() { this.total = 0; } ajouter(n) { this.total += n; } }
module.exports = {
  trouver: (liste, ref) => liste.find((x) => x.ref === ref),
  trierSurPlace: (t) => t.sort((a, b) => a - b),
  retirer(solde, montant) {
    if (montant > solde) throw new Solde(montant - solde);
    return solde - montant;
  },
  Solde,
  Compteur,
  plusTard: (ms, rappel) => new Promise((r) => setTimeout(() => { rappel('tic'); r('fini'); }, ms)),
  compter: async (promesse) => (await promesse).length,
  valeurs: () => ({
    nan: NaN, moins: -Infinity, zero: -0, grand: 2n ** 70n, rien: undefined, vide: null,
    date: new Date(0), carte: new Map([['a', new Set([1, 'b'])]]), octets: Buffer.from('xyz'),
    sansProto: Object.assign(Object.create(null), { a: 1 }),
  }),
};
"""


def test_calls_callbacks_promises_identity_and_errors_behave_as_in_one_process(tmp_path):
    tests = tmp_path / "tests"
    tests.mkdir()
    (tests / "outils.test.js").write_text(SEMANTICS)
    result, _ = grade(make_job(tests, {"outils.js": OUTILS}))
    assert result.score == result.max_score == 7, messages(result)


def test_an_innocent_prototype_extension_does_not_disturb_the_grading(tests_dir):
    code = (
        "Object.prototype.op = 'settled'; Object.prototype.ok = 42; Object.prototype.v = [1];\n"
        "Array.prototype.somme = function () { return this.reduce((a, b) => a + b, 0); };\n"
        "const total = (l) => l.map((x) => x.prix * x.quantite).somme();\n"
        "async function charger(lire) { return total(await lire('/panier')); }\n"
        "module.exports = { total, charger };\n"
    )
    result, _ = grade(make_job(tests_dir, {"panier.js": code}))
    assert result.score == MAX_SCORE, messages(result)


def test_the_network_is_unreachable(tests_dir):
    code = (
        "const net = require('net');\n"
        "const s = net.connect(80, '192.0.2.1');\n"
        "s.on('connect', () => { throw new Error('NETWORK OPEN'); });\n"
        "s.on('error', () => {});\n" + SOLUTION
    )
    result, _ = grade(make_job(tests_dir, {"panier.js": code}))
    assert result.score == MAX_SCORE, messages(result)


# --- hostile submissions ------------------------------------------------------------------------

ATTACKS = {
    "node:assert and node:assert/strict neutralised": (
        "for (const name of ['assert', 'assert/strict', 'node:assert', 'node:assert/strict']) {\n"
        "  const m = require(name);\n"
        "  for (const k of Object.keys(m)) { try { m[k] = () => {}; } catch (e) {} }\n"
        "}\n" + WRONG,
        None,
    ),
    "forged TAP and results on every descriptor": (
        "const fs = require('fs');\n"
        "const names = ['un panier vide vaut 0 [2 pts]', 'additionne prix × quantité [3 pts]'];\n"
        "for (let fd = 0; fd < 32; fd++) for (const n of names) {\n"
        "  try { fs.writeSync(fd, `TAP version 13\\nok 1 - ${n}\\n1..1\\n`); } catch (e) {}\n"
        "  try { fs.writeSync(fd, JSON.stringify({ score: 7, max_score: 7, tests: [],"
        " feedback: '' }) + '\\n'); } catch (e) {}\n"
        "}\n" + WRONG,
        # Text on the judge's channel reads as the length of a message far too large.
        {None, "output"},
    ),
    "forged answers on the judge's channel": (
        "const fs = require('fs');\n"
        "const frame = (m) => { const b = Buffer.from(JSON.stringify(m));"
        " const h = Buffer.alloc(4); h.writeUInt32BE(b.length); return Buffer.concat([h, b]); };\n"
        "for (let re = 1; re < 50; re++) fs.writeSync(3, frame({ re, ok: 25 }));\n"
        "fs.writeSync(3, frame({ ev: 'test', outcome: 'passed' }));\n" + WRONG,
        None,
    ),
    "process.exit(0) at load": ("process.exit(0);\n", None),
    "process.exit(0) during a test": (
        "module.exports = { total: () => process.exit(0),"
        " charger: async () => process.exit(0) };\n",
        None,
    ),
    "the box's first process and parent killed": (
        "for (const pid of [1, process.ppid]) for (const s of ['SIGKILL', 'SIGTERM', 'SIGINT'])\n"
        "  { try { process.kill(pid, s); } catch (e) {} }\n" + WRONG,
        None,
    ),
    # The sandbox tells a box killed by SIGKILL from inside from an out-of-memory kill only by
    # who sent it: either limit may be named.
    "every process it can signal killed": (
        "module.exports = { total: () => { process.kill(-1, 'SIGKILL'); },"
        " charger: async () => -1 };\n",
        {None, "memory"},
    ),
    "the hidden tests looked for": (
        "const fs = require('fs');\nconst seen = [];\n"
        "for (const p of ['/job', '/job/tests', '/job/exchange', '/grader/lms_grading']) {\n"
        "  try { seen.push(p + ': ' + fs.readdirSync(p).join(',')); }"
        " catch (e) { seen.push(p + ': ' + e.code); }\n}\n"
        "for (const f of ['/job/tests/panier.test.js', '/job/tests/souple.test.js'])\n"
        "  { try { seen.push(fs.readFileSync(f, 'utf8')); } catch (e) { seen.push(e.code); } }\n"
        "const fail = () => { throw new Error(seen.join('\\n')); };\n"
        "module.exports = { total: fail, charger: async () => fail() };\n",
        None,
    ),
    "objects equal to everything": (
        "const liar = { valueOf() { return 25; }, toString() { return '25'; },"
        " [Symbol.toPrimitive]() { return 25; }, equals() { return true; } };\n"
        "const proxy = new Proxy(function () {}, { get: (t, k) => (k === Symbol.toPrimitive ?"
        " () => 25 : () => true), apply: () => true, has: () => true, ownKeys: () => [] });\n"
        "const plain = new Proxy({}, { get: () => 0, ownKeys: () => ['length'],"
        " getOwnPropertyDescriptor: () => ({ value: 0, enumerable: true, configurable: true })"
        " });\n"
        "class Egal { valueOf() { return 7; } toString() { return '7'; } }\n"
        "let n = 0;\n"
        "module.exports = { total: () => [liar, proxy, new Egal(), plain][n++ % 4],"
        " charger: async () => liar };\n",
        None,
    ),
    "a getter that throws": (
        "module.exports = { total: () => ({ get prix() { throw new Error('piège'); } }),"
        " charger: async () => ({ get x() { throw 'piège'; } }) };\n",
        None,
    ),
    "a function where a number is expected": (
        "const f = () => 25; f.valueOf = () => 25; f.toString = () => '25';\n"
        "module.exports = { total: () => f, charger: async () => f };\n",
        None,
    ),
    "prototypes polluted": (
        "Object.prototype.valueOf = function () { return 25; };\n"
        "Object.prototype.toString = function () { return '25'; };\n"
        "Object.prototype[Symbol.toPrimitive] = function () { return 25; };\n"
        "Object.defineProperty(Object.prototype, 'then', { get() { return undefined; } });\n"
        "Object.prototype.ok = true; Object.prototype.re = 1;\n"
        "Object.prototype.outcome = 'passed';\n"
        'JSON.stringify = () => \'{"re":1,"ok":25}\';\n' + WRONG,
        None,
    ),
    "the judge reached through a callback": (
        "async function charger(lire) {\n"
        "  const ways = [() => lire.constructor('return process')(),"
        " () => lire.call.constructor('return process')(),"
        " () => Object.getPrototypeOf(lire).constructor('return process')(),"
        " () => lire.__proto__.constructor, () => lire._onTimeout, () => lire.toString()];\n"
        "  const got = ways.map((w) => { try { const v = w(); return typeof v === 'object' && v"
        " && v.pid ? 'process ' + v.pid + ' ' + v.getuid() : String(v); }"
        " catch (e) { return e.message; } });\n"
        "  const p = lire('/panier');\n"
        "  throw new Error(got.join(' | ') + ' | then: ' + typeof p.then);\n}\n"
        "module.exports = { total: () => -1, charger };\n",
        None,
    ),
    "an infinite loop": (
        "module.exports = { total: () => { for (;;) {} }, charger: null };\n",
        "timeout",
    ),
    "a loop at load": ("for (;;) {}\n", "timeout"),
    "a hundred megabytes of console.log at load": (
        "for (let i = 0; i < 100; i++) console.log('x'.repeat(1000000));\n" + SOLUTION,
        "output",
    ),
    "console.log for ever": (
        "module.exports = { total: () => { for (;;) console.log('y'.repeat(100000)); } };\n",
        "output",
    ),
    "a swarm of child processes": (
        "const { spawn } = require('child_process');\n"
        "setInterval(() => { for (let i = 0; i < 50; i++) { try { spawn('sleep', ['60']); }"
        " catch (e) {} } }, 1);\n" + WRONG,
        None,
    ),
    "a memory bomb": (
        "const a = []; for (;;) a.push(new Array(1e6).fill(1));\n",
        "memory",
    ),
    "three hundred thousand objects at once": (
        "module.exports = { total: () => Array.from({ length: 3e5 }, () => ({})),"
        " charger: null };\n",
        # Refused by the codec's size rules; on a loaded machine building them may run out of
        # time first: either way, nothing earned.
        {None, "timeout"},
    ),
    "a huge return value": (
        "module.exports = { total: () => 'x'.repeat(200 * 1024 * 1024), charger: null };\n",
        {"output", "memory"},
    ),
}


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_a_hostile_submission_ends_graded_below_full_marks(tests_dir, name):
    code, limit = ATTACKS[name]
    result, elapsed = grade(make_job(tests_dir, {"panier.js": code}))
    assert result.score == 0, messages(result)
    assert all(t.outcome != "passed" for t in result.tests)
    assert result.limit_hit in (limit if isinstance(limit, set) else {limit}), messages(result)
    assert elapsed < LIMITS.timeout_seconds + LIMITS.grace_seconds + MARGIN
    assert_no_hidden_line(result, tests_dir)


def test_functions_returned_for_strings_earn_nothing():
    folder = EXERCISES / "carte-produit"
    code = (
        "const chaine = () => { const f = () => '';"
        " f.toString = () => '&lt;'; f.valueOf = f.toString; f.toJSON = () => 'x'; return f; };\n"
        "module.exports = { IMAGE_PAR_DEFAUT: chaine(), echapperHTML: chaine, formaterPrix: chaine,"
        " urlImageSure: chaine, renderCarte: chaine, renderListe: chaine };\n"
    )
    result, _ = grade(make_job(folder / "tests", {"carte.js": code}))
    assert result.score == 0, messages(result)
    assert_no_hidden_line(result, folder / "tests")


def test_the_hidden_tests_are_not_in_the_learners_box(tests_dir):
    result, _ = grade(make_job(tests_dir, {"panier.js": ATTACKS["the hidden tests looked for"][0]}))
    shown = messages(result)
    assert "/job/tests: \n" in shown  # the folder is there, empty
    assert "panier.test.js" not in shown and "ENOENT" in shown


def test_the_judge_is_out_of_the_callbacks_reach(tests_dir):
    result, _ = grade(
        make_job(tests_dir, {"panier.js": ATTACKS["the judge reached through a callback"][0]})
    )
    message = result.tests[2].message
    assert result.tests[2].outcome == "error", message
    # Each way fails, or reaches the learner's own process (uid 1001), never the judge's.
    assert set(re.findall(r"process \d+ (\d+)", message)) <= {"1001"}
    assert "[native code]" in message  # the test's function shows no source
    assert "then: function" in message  # the test's promise arrives as a promise


def test_a_never_settling_promise_fails_its_test_only(tests_dir):
    code = SOLUTION.replace("async function charger(lire) {", "function charger() {").replace(
        "return total(await lire('/panier'));", "return new Promise(() => {});"
    )
    result, elapsed = grade(make_job(tests_dir, {"panier.js": code}))
    assert [t.outcome for t in result.tests][:3] == ["passed", "passed", "failed"]
    assert result.score == 5 and result.limit_hit == "timeout"
    assert "Temps limite dépassé" in result.tests[2].message
    assert elapsed < LIMITS.timeout_seconds + LIMITS.grace_seconds + MARGIN


def test_a_process_that_exits_mid_test_fails_that_test_and_the_following(tests_dir):
    code = SOLUTION.replace("s + l.prix", "(l.prix === 10 ? process.exit(3) : 0) + s + l.prix")
    result, _ = grade(make_job(tests_dir, {"panier.js": code}))
    assert [t.outcome for t in result.tests] == ["passed", "failed", "failed", "failed"]
    assert "code de sortie 3" in result.tests[1].message
    assert "arrêté pendant un test précédent" in result.tests[2].message


@pytest.mark.parametrize(
    "name", ["process.exit(0) during a test", "an infinite loop", "console.log for ever"]
)
def test_the_warm_path_resists_the_same_attacks(tests_dir, pool, name):
    code, limit = ATTACKS[name]
    job = make_job(tests_dir, {"panier.js": code})
    result, elapsed = grade(job, warmed(pool, job))
    assert result.score == 0 and result.limit_hit == limit, messages(result)
    assert elapsed < LIMITS.timeout_seconds + LIMITS.grace_seconds + MARGIN
    assert_no_hidden_line(result, tests_dir)

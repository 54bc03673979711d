"""Hostile learner code against the Python graders (python, data, ml), each in real boxes.

Every submission here ends *graded* (a result, never a platform error), below full marks (0
where nothing is right), within its time limit plus a small margin, and shows no line of the
hidden tests. The attacks are those that forged full marks when the learner's code shared the
judge's interpreter (reports written through the reporting plugin, a patched pytest, objects
equal to everything, builtins rewritten for the tests' frames), the availability and
confidentiality ones (signalling the judge, reading the hidden tests), the resource ones
(loops, bombs, floods), and their neighbours.
"""

from __future__ import annotations

import subprocess
import threading
import time

import pytest

from sandbox import Limits
from sandbox.boxes import running_boxes
from tests.sandbox.helpers import (
    LIMITS,
    MARGIN,
    assert_below_full_marks,
    assert_no_hidden_line,
    assert_no_marks,
    exercise,
    grade,
    job,
    solution,
)

pytestmark = pytest.mark.docker

PRIX = "python-backend/prix-ttc"
TESTS = exercise(PRIX) / "tests"
SOLUTION = solution(PRIX)["prix.py"]
WRONG = (
    "def prix_ttc(p, t=0.2):\n    return 0\ndef formater_prix(m):\n    return ''\n"
    "def etiquette(n, p):\n    return ''\n"
)
FORGED = (
    '{"score": 10, "max_score": 10, "tests": [{"name": "x", "outcome": "passed", "points": 10, '
    '"max_points": 10}], "feedback": "", "truncated": false}'
)


@pytest.fixture(scope="module")
def pool():
    from sandbox.warm import WarmPool

    made = WarmPool(1)
    yield made
    made.close()


def graded(code: str, pool=None, limits: Limits = LIMITS):
    result, elapsed = grade(job({"prix.py": code}, limits=limits), pool)
    assert_no_hidden_line(result, TESTS)
    assert elapsed < limits.timeout_seconds + MARGIN
    return result


# --- forging the verdict ----------------------------------------------------------------------

FORGERIES = {
    "a result printed on every descriptor, then exit": (
        f"import os, sys\nfor fd in range(0, 64):\n    try:\n        os.write(fd, {FORGED!r}.encode() + b'\\n')\n"
        "    except OSError:\n        pass\nprint({FORGED!r})\nos._exit(0)\n"
    ),
    "the reporting plugin's nonce and stream looked up in sys.modules": (
        "import sys, os, json\n"
        "for name, module in list(sys.modules.items()):\n"
        "    for attr in ('_nonce', '_stream', 'LMS_REPORT_NONCE'):\n"
        "        if hasattr(module, attr):\n"
        "            getattr(module, '_stream').write(json.dumps({'nonce': module._nonce, 'kind': 'test',"
        " 'when': 'call', 'outcome': 'passed'}) + '\\n')\n"
        "os.environ.get('LMS_REPORT_FD') and os._exit(0)\n" + WRONG
    ),
    "pytest's report and runner patched": (
        "import _pytest.reports, _pytest.runner, sys, types, json\n"
        "original = _pytest.reports.TestReport.__init__\n"
        "def fake(self, *a, **k):\n    original(self, *a, **k)\n    self.outcome = 'passed'\n"
        "_pytest.reports.TestReport.__init__ = fake\n"
        "shim = types.ModuleType('_pytest.runner')\nshim.__dict__.update(_pytest.runner.__dict__)\n"
        "shim.call_and_report = lambda item, when, log=True, **kw: None\n"
        "sys.modules['_pytest.runner'] = shim\n"
        "json.JSONEncoder.default = lambda self, o: 'passed'\n" + WRONG
    ),
    "a plugin registered through gc": (
        "import gc\n"
        "for obj in gc.get_objects():\n"
        "    if type(obj).__name__ in ('PytestPluginManager', 'Session', 'Config'):\n"
        "        try:\n            obj.register(type('P', (), {'pytest_runtest_logreport': "
        "lambda self, report: setattr(report, 'outcome', 'passed')})())\n"
        "        except Exception:\n            pass\n" + WRONG
    ),
    "test functions' code replaced from a profile hook": (
        "import sys\n"
        "def hook(frame, event, arg):\n"
        "    if frame.f_code.co_name.startswith('test_'):\n"
        "        frame.f_globals[frame.f_code.co_name].__code__ = (lambda *a, **k: None).__code__\n"
        "sys.setprofile(hook)\nimport threading\nthreading.setprofile(hook)\n" + WRONG
    ),
    "pytest.approx and builtins patched": (
        "import builtins, pytest\n"
        "pytest.approx = lambda *a, **k: type('A', (), {'__eq__': lambda s, o: True})()\n"
        "builtins.isinstance = lambda *a: True\nbuiltins.len = lambda *a: 4\n"
        "builtins.abs = lambda *a: 0\n" + WRONG
    ),
    "builtins rewritten only for calls from test frames": (
        "import builtins, sys\nreal = builtins.isinstance\n"
        "def fake(obj, cls):\n"
        "    caller = sys._getframe(1).f_code.co_name\n"
        "    return True if caller.startswith('test_') else real(obj, cls)\n"
        "builtins.isinstance = fake\n" + WRONG
    ),
    "a str subclass equal to everything": (
        "class S(str):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = str.__hash__\n"
        "class F(float):\n    def __eq__(self, other):\n        return True\n"
        "    __hash__ = float.__hash__\n"
        "def prix_ttc(p, t=0.2):\n    return F(0)\n"
        "def formater_prix(m):\n    return S('x')\ndef etiquette(n, p):\n    return S('x')\n"
    ),
    "an object that answers yes to every question": (
        "class Yes:\n"
        + "".join(
            f"    def __{op}__(self, *other):\n        return True\n"
            for op in "eq ne lt le gt ge contains bool".split()
        )
        + "    def __sub__(self, other):\n        return 0\n    __rsub__ = __sub__\n"
        "    def __abs__(self):\n        return 0\n    def __float__(self):\n        return 120.0\n"
        "    def __repr__(self):\n        return '120.0'\n    __hash__ = object.__hash__\n"
        "def prix_ttc(p, t=0.2):\n    return Yes()\n"
        "def formater_prix(m):\n    return Yes()\ndef etiquette(n, p):\n    return Yes()\n"
    ),
    "the hidden tests read and echoed": (
        "import os\n"
        "def _all():\n    found = []\n"
        "    for root in ('/job', '/proc/1/root/job', '/grader', '/tmp', '/'):\n"
        "        for base, dirs, files in os.walk(root):\n"
        "            if base.startswith(('/proc', '/sys', '/usr', '/dev')):\n                continue\n"
        "            for name in files:\n"
        "                if name.startswith('test_'):\n"
        "                    try:\n                        found.append(open(os.path.join(base, name)).read())\n"
        "                    except OSError:\n                        pass\n"
        "    return '\\n'.join(found) or 'nothing'\n"
        "def prix_ttc(p, t=0.2):\n    raise ValueError(_all())\n"
        "def formater_prix(m):\n    return _all()\ndef etiquette(n, p):\n    return _all()\n"
    ),
    "ptrace on the other processes": (
        "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\n"
        "RESULTS = [libc.ptrace(16, pid, 0, 0) for pid in (1, os.getppid(), 2, 3)]\n" + WRONG
    ),
}


@pytest.mark.parametrize("name", sorted(FORGERIES))
def test_a_forged_verdict_earns_nothing(pool, name):
    assert_no_marks(graded(FORGERIES[name], pool))


def test_a_forged_verdict_earns_nothing_on_the_cold_path_too():
    assert_no_marks(graded(FORGERIES["pytest's report and runner patched"]))
    assert_no_marks(graded(FORGERIES["a str subclass equal to everything"]))


# --- availability: the judge cannot be stopped ------------------------------------------------

SIGNALS = {
    "SIGINT to pid 1": "import os, signal\nos.kill(1, signal.SIGINT)\n",
    "SIGKILL to pid 1 and the parent": (
        "import os, signal\nfor pid in (1, os.getppid()):\n    try:\n        os.kill(pid, signal.SIGKILL)\n"
        "    except OSError:\n        pass\n"
    ),
    "SIGKILL to every process it can see": (
        "import os, signal\nfor name in os.listdir('/proc'):\n"
        "    if name.isdigit() and int(name) != os.getpid():\n"
        "        try:\n            os.kill(int(name), signal.SIGKILL)\n        except OSError:\n            pass\n"
    ),
    "SIGTERM to its process group and session": (
        "import os, signal\nfor send in (lambda: os.killpg(0, signal.SIGTERM), lambda: os.kill(-1, signal.SIGTERM)):\n"
        "    try:\n        send()\n    except OSError:\n        pass\n"
    ),
}


@pytest.mark.parametrize("name", sorted(SIGNALS))
def test_signals_from_the_learners_code_leave_the_grading_standing(pool, name):
    # With the right answer after the attack: graded; when the code did not kill itself on the
    # way, the judge was not disturbed and the answer earns its marks.
    result = graded(SIGNALS[name] + SOLUTION, pool)
    if "group" not in name:
        assert result.score == result.max_score
    # With a wrong answer: graded, nothing earned.
    assert_no_marks(graded(SIGNALS[name] + WRONG, pool))


def test_exiting_in_the_middle_of_one_test_fails_only_that_test(pool):
    code = SOLUTION.replace(
        "def formater_prix(montant):\n",
        "def formater_prix(montant):\n    import os\n    os._exit(3)\n",
    )
    result = graded(code, pool)
    outcomes = {t.name.split()[0]: t for t in result.tests}
    assert outcomes["prix_ttc"].outcome == "passed"
    assert "code de sortie 3" in outcomes["formater_prix"].message
    assert 0 < result.score < result.max_score
    assert result.limit_hit is None


@pytest.mark.parametrize(
    "code", ["import sys\nsys.exit(0)\n", "raise SystemExit(0)\n", "import os\nos._exit(0)\n"]
)
def test_exiting_on_import_earns_nothing(pool, code):
    assert_no_marks(graded(code + SOLUTION, pool))


def test_a_keyboard_interrupt_raised_by_the_code_fails_its_test_only(pool):
    code = SOLUTION + "\ndef prix_ttc(p, t=0.2):\n    raise KeyboardInterrupt\n"
    result = graded(code, pool)
    assert result.tests[0].outcome == "error"
    assert result.tests[1].outcome == "passed"


# --- resources ----------------------------------------------------------------------------------


def test_an_infinite_loop_on_import_is_stopped_at_the_time_limit(pool):
    result = graded(SOLUTION + "\nwhile True:\n    pass\n", pool)
    assert result.limit_hit == "timeout"
    assert_no_marks(result)
    assert "Temps limite" in result.feedback


def test_an_infinite_loop_in_one_function_keeps_what_passed_before(pool):
    code = SOLUTION + "\ndef etiquette(n, p):\n    while True:\n        pass\n"
    result = graded(code, pool)
    assert result.limit_hit == "timeout"
    assert result.tests[0].outcome == result.tests[1].outcome == "passed"
    assert "Temps limite" in result.tests[2].message


def test_a_fork_bomb_is_contained_by_the_pids_limit_and_the_clock(pool):
    code = (
        SOLUTION
        + "\nimport os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    )
    result = graded(code, pool)
    assert result.limit_hit == "timeout"
    assert_no_marks(result)


def test_a_memory_bomb_is_killed_and_reported_as_memory(pool):
    result = graded(
        SOLUTION + "\nblocks = []\nwhile True:\n    blocks.append(bytearray(16 << 20))\n", pool
    )
    assert result.limit_hit == "memory"
    assert_no_marks(result)


@pytest.mark.parametrize(
    "flood",
    [
        "import sys\nfor _ in range(100):\n    sys.stdout.write('x' * 1_000_000)\n",
        "import os\nfor _ in range(100):\n    os.write(1, b'x' * 1_000_000)\n",
        "import subprocess\nsubprocess.run(['head', '-c', '100000000', '/dev/zero'])\n",
    ],
    ids=["print", "file descriptor", "child process"],
)
def test_a_hundred_megabytes_of_output_is_cut_off(pool, flood):
    result = graded(SOLUTION + "\n" + flood, pool)
    assert result.limit_hit == "output"
    assert_no_marks(result)


def test_a_huge_or_deeply_nested_return_value_is_refused_not_crashing_the_judge(pool):
    code = (
        SOLUTION + "\ndef prix_ttc(p, t=0.2):\n    return 'x' * (200 << 20)\n"
        "def formater_prix(m):\n    value = []\n    for _ in range(100000):\n        value = [value]\n"
        "    return value\n"
    )
    result = graded(code, pool, Limits(timeout_seconds=5, memory_mb=512, grace_seconds=4))
    assert result.tests[0].outcome != "passed" and result.tests[1].outcome != "passed"


def test_daemons_left_behind_do_not_outlive_the_grading(pool):
    marker = "987654.321"
    code = SOLUTION + (
        f"\nimport os\nif os.fork() == 0:\n    os.setsid()\n    os.execv('/bin/sleep', ['sleep', '{marker}'])\n"
    )
    result = graded(code, pool)
    assert result.score == result.max_score
    deadline = time.monotonic() + 10
    while subprocess.run(["pgrep", "-f", f"sleep {marker}"], capture_output=True).returncode == 0:
        assert time.monotonic() < deadline, "a daemon outlived its grading"
        time.sleep(0.2)


def test_network_access_fails_and_the_solution_still_works(pool):
    code = SOLUTION + (
        "\nimport socket\nDENIED = []\n"
        "for connect in (lambda: socket.create_connection(('1.1.1.1', 80), timeout=2),"
        " lambda: socket.getaddrinfo('deb.debian.org', 80)):\n"
        "    try:\n        connect()\n    except OSError:\n        DENIED.append(1)\n"
        "assert len(DENIED) == 2\n"
    )
    assert graded(code, pool).score == 10


def test_writing_outside_tmpfs_fails_and_tmpfs_is_size_limited(pool):
    code = SOLUTION + (
        "\nimport os\nDENIED = []\n"
        "for path in ['/grader/x', '/etc/x', '/job/submission/x', '/job/tests/x', '/x', '/usr/x']:\n"
        "    try:\n        open(path, 'w').write('x')\n"
        "    except OSError:\n        DENIED.append(path)\n"
        "assert len(DENIED) == 6, DENIED\n"
        "try:\n    with open('/tmp/big', 'wb') as big:\n"
        "        for _ in range(200):\n            big.write(b'x' * (1024 * 1024))\n    BIG = True\n"
        "except OSError:\n    BIG = False\n"
        "os.path.exists('/tmp/big') and os.remove('/tmp/big')\nassert not BIG\n"
    )
    assert graded(code, pool).score == 10


def test_another_submission_cannot_be_read():
    secret = "SECRET-OF-ANOTHER-LEARNER"
    done = {}

    def other_learner():
        done["result"] = graded(SOLUTION + f"\nSECRET = '{secret}'\nimport time\ntime.sleep(2)\n")

    thread = threading.Thread(target=other_learner)
    thread.start()
    time.sleep(0.5)
    code = SOLUTION + (
        "\nimport os\nFOUND = []\n"
        "for root in ['/tmp', '/job', '/grader', '/var', '/home', '/root', '/mnt', '/srv', '/opt', '/run']:\n"
        "    for base, dirs, files in os.walk(root):\n"
        "        for name in files:\n"
        "            try:\n                if b'SECRET-OF-ANOTHER' in open(os.path.join(base, name), 'rb').read(1 << 20):\n"
        "                    FOUND.append(os.path.join(base, name))\n"
        "            except OSError:\n                pass\n"
        "assert all(f.startswith(('/tmp/work/', '/job/submission/')) for f in FOUND), FOUND\n"
    )
    result = graded(code, limits=Limits(timeout_seconds=8, memory_mb=128, grace_seconds=4))
    thread.join()
    assert result.score == 10, [t.message for t in result.tests]
    assert done["result"].score == 10


def test_a_hostile_run_does_not_disturb_a_concurrent_honest_one():
    results = {}

    def hostile():
        results["hostile"] = graded(
            "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
        )

    thread = threading.Thread(target=hostile)
    thread.start()
    time.sleep(0.5)
    honest, elapsed = grade(job({"prix.py": SOLUTION}))
    thread.join()
    assert honest.score == 10
    assert elapsed < 5
    assert results["hostile"].limit_hit == "timeout"


def test_no_box_and_no_staged_folder_is_left_behind():
    import os

    from lms import grading
    from sandbox.boxes import state_dir

    # This process's own (other test processes share the machine), pools of other tests closed.
    grading.close_warm_pools()
    mine = f"-{os.getpid()}-"

    def staged() -> set:
        return {
            p.name
            for root in ("jobs", "exchange")
            for p in (state_dir() / root).iterdir()
            if p.name.startswith(mine[1:])
        }

    def boxes() -> set:
        return {b for b in running_boxes() if mine in b}

    before, folders = boxes(), staged()
    graded("while True:\n    pass\n")
    assert boxes() <= before
    assert staged() <= folders


# --- confidentiality -------------------------------------------------------------------------


def test_a_link_left_in_the_exchange_folder_is_not_followed_by_the_judge(pool):
    files = solution("python-backend/import-commandes-csv")
    files["commandes.py"] += (
        "\ndef exporter_json(donnees, chemin):\n    import os\n"
        "    os.symlink('/job/tests/test_commandes.py', chemin)\n"
    )
    result, _ = grade(job(files, "python-backend/import-commandes-csv"), pool)
    assert_no_hidden_line(result, exercise("python-backend/import-commandes-csv") / "tests")
    export = [t for t in result.tests if "exporter_json" in t.name][0]
    assert export.outcome != "passed"


def test_a_fifo_left_in_the_exchange_folder_ends_in_the_time_limit(pool):
    files = solution("python-backend/import-commandes-csv")
    files["commandes.py"] += (
        "\ndef exporter_json(donnees, chemin):\n    import os\n    os.mkfifo(chemin)\n"
    )
    result, elapsed = grade(job(files, "python-backend/import-commandes-csv"), pool)
    assert result.score < result.max_score
    assert elapsed < LIMITS.timeout_seconds + LIMITS.grace_seconds + MARGIN


# --- the other Python graders -------------------------------------------------------------------

EVERYWHERE = {
    "infinite loop": (SOLUTION + "\nwhile True:\n    pass\n", "timeout"),
    "memory bomb": (
        SOLUTION + "\nb = []\nwhile True:\n    b.append(bytearray(1 << 24))\n",
        "memory",
    ),
    "output flood": (
        SOLUTION + "\nimport sys\nfor _ in range(100):\n    print('x' * 1_000_000)\n",
        "output",
    ),
    "forged result": (FORGERIES["a result printed on every descriptor, then exit"], None),
    "patched framework": (FORGERIES["pytest's report and runner patched"], None),
    "equal to everything": (FORGERIES["a str subclass equal to everything"], None),
}


@pytest.mark.parametrize("grader", ["data", "ml"])
@pytest.mark.parametrize("case", sorted(EVERYWHERE))
def test_every_python_based_grader_resists_the_same_attacks(grader, case):
    code, limit = EVERYWHERE[case]
    result, elapsed = grade(job({"prix.py": code}, grader=grader))
    assert_no_marks(result)
    assert result.limit_hit == limit
    assert elapsed < LIMITS.timeout_seconds + MARGIN


DATA = "analyse-donnees/lire-ventes-csv"


def test_a_data_frame_subclass_that_claims_equality_is_rebuilt_as_a_plain_one(pool):
    files = solution(DATA)
    files["lecture.py"] += (
        "\nimport pandas as pd\n_real = lire_ventes\n"
        "class Liar(pd.DataFrame):\n"
        "    def equals(self, other):\n        return True\n"
        "    def __eq__(self, other):\n        return True\n"
        "def lire_ventes(chemin):\n    return Liar({'x': [1]})\n"
    )
    result, _ = grade(job(files, DATA, grader="data", limits=Limits(timeout_seconds=10)), pool)
    assert_below_full_marks(result)


ML = "intelligence-artificielle/defi-chiffres-manuscrits"


def test_memorising_the_public_data_set_is_out_of_reach(pool):
    # A lookup table of every digit image: it would score 1.0 on any held-out split.
    files = {
        "modele.py": (
            "import numpy as np\nfrom sklearn.datasets import load_digits\n"
            "X, Y = load_digits(return_X_y=True)\nTABLE = {row.tobytes(): y for row, y in zip(X, Y)}\n"
            "class Memoire:\n    def predict(self, X):\n"
            "        return np.array([TABLE.get(np.asarray(r, dtype=float).tobytes(), 0) for r in X])\n"
            "def entrainer(X_train, y_train):\n    return Memoire()\n"
        )
    }
    result, _ = grade(
        job(files, ML, grader="ml", limits=Limits(timeout_seconds=30, memory_mb=768)), pool
    )
    assert_no_marks(result)
    assert "Permission" in result.tests[0].message


def test_regenerating_the_prompts_data_does_not_reveal_the_held_out_answers(pool):
    exercise_id = "intelligence-artificielle/detection-fraude"
    files = solution(exercise_id)
    files["fraude.py"] += (
        "\nfrom sklearn.datasets import make_classification\n"
        "_X, _Y = make_classification(n_samples=8000, n_features=8, n_informative=4, n_redundant=2,"
        " weights=[0.97], class_sep=1.0, flip_y=0.0, random_state=7)\n"
        "_TABLE = {np.round(r, 8).tobytes(): y for r, y in zip(_X, _Y)}\n"
        "class Memoire:\n    def predict_proba(self, X):\n"
        "        p = np.array([float(_TABLE.get(np.round(r, 8).tobytes(), 0)) for r in X])\n"
        "        return np.column_stack([1 - p, p])\n"
        "def entrainer_detecteur(X, y):\n    return Memoire()\n"
    )
    if "import numpy as np" not in files["fraude.py"]:
        files["fraude.py"] = "import numpy as np\n" + files["fraude.py"]
    result, _ = grade(
        job(files, exercise_id, grader="ml", limits=Limits(timeout_seconds=30, memory_mb=768)), pool
    )
    held_out = [t for t in result.tests if "jamais vues" in t.name]
    assert held_out and all(t.outcome != "passed" for t in held_out)

"""The grading framework every grader image shares (installed at /grader/lms_grading).

A grading is two processes that never share an interpreter, a process or a user id:

- the **judge** (uid 1000) holds the hidden tests, runs them and reports the result to the
  sandbox on the host through its control socket (:mod:`lms_grading.control`);
- the **learner's process** (uid 1001), fresh for each submission, in a box of its own, runs the
  learner's code and answers the judge's requests with plain data (:mod:`lms_grading.codec`,
  :mod:`lms_grading.learner`).

Each grader is a judge adapter: ``judge_pytest`` (python, data, ml), ``judge_node``
(javascript), ``judge_shell``, ``judge_sql``. :mod:`lms_grading.judge` and
:mod:`lms_grading.box` are the entry points the sandbox starts.
"""

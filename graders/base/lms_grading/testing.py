"""What a test may import from the framework (``from lms_grading.testing import ...``).

- :func:`learner_module`: a module as the learner's process sees it, to create there an object
  the learner's code needs (``learner_module("sqlite3").connect(":memory:")``);
- :func:`secret_seed`: this run's seed for held-out data (the ``secret_seed`` fixture too).
"""

from lms_grading.judge_pytest import learner_module, secret_seed

__all__ = ["learner_module", "secret_seed"]

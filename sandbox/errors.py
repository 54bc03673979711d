"""Errors the sandbox raises. Each says what is wrong and, where it can, what to do."""


class SandboxError(Exception):
    """The platform, not the learner's code, failed to grade."""


class SandboxUnavailable(SandboxError):
    """The Docker engine cannot be reached: the job should wait and be tried again."""


class ImageMissing(SandboxUnavailable):
    """The grader image for the current recipe is not built (``lms images build``)."""

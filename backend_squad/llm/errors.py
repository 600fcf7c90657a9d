"""The LLM client's errors: one base class, three things a caller reacts to differently.

Every message is written for the person running ``copier copy``: what happened and what to do.
No message ever holds the API key (server text is scrubbed before it is quoted).
"""

from __future__ import annotations


class LLMError(Exception):
    """Something went wrong talking to the model; catch this to fall back to the offline result."""


class LLMUnavailable(LLMError):
    """The AI cannot be used: offline by choice, no key, the server unreachable, or the key refused."""


class LLMDeadlineExceeded(LLMError):
    """The overall time budget of the client is used up; no further request is started."""


class LLMOutputError(LLMError):
    """The model's answers were not valid JSON for the requested schema, even after the allowed repairs.

    ``problems`` lists what was wrong with each answer, in order.
    """

    def __init__(self, message: str, problems: list[str] | None = None) -> None:
        super().__init__(message)
        self.problems = list(problems or [])

"""jinshui-qa: answers questions about Zhengzhou's Jinshui District from a curated fact base.

The public API is what a script embedding the bot needs; everything else in the package (the
subpackages ``facts``, ``text``, ``routing``, ``conversation``, ``storage``, ``maintenance``,
``console``, ``telegram``, ``web``) is internal and may change without notice::

    import jinshui_qa

    assistant = jinshui_qa.load_assistant("facts/")        # load and validate facts/, build the router
    session = jinshui_qa.Session()                     # one conversation's follow-up context
    reply = assistant.reply("金水区有多少家科技型企业", session)
    reply.status, reply.fact_id, reply.text             # "answer", "tech_enterprises", "据2022年的报道，…"

Errors are :class:`JinshuiQAError` and its subclasses (see :mod:`jinshui_qa.errors`). Names are
imported on first use, so ``import jinshui_qa`` costs nothing.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_assistant": "jinshui_qa.bootstrap:bootstrap",
    "assistant_for": "jinshui_qa.bootstrap",
    "open_runtime": "jinshui_qa.bootstrap",
    "Runtime": "jinshui_qa.bootstrap",
    "Assistant": "jinshui_qa.conversation.assistant",
    "Session": "jinshui_qa.conversation.assistant",
    "Reply": "jinshui_qa.conversation.assistant",
    "Option": "jinshui_qa.conversation.assistant",
    "FactBase": "jinshui_qa.facts.schema",
    "load": "jinshui_qa.facts.loader",
    "RouterSettings": "jinshui_qa.routing.settings",
    "Problem": "jinshui_qa.errors",
    "JinshuiQAError": "jinshui_qa.errors",
    "FactsError": "jinshui_qa.errors",
    "FactsDirMissing": "jinshui_qa.errors",
    "FactsInvalid": "jinshui_qa.errors",
    "ConfigError": "jinshui_qa.errors",
    "EvalSetInvalid": "jinshui_qa.errors",
    "StoreError": "jinshui_qa.errors",
}
__all__ = [
    "Assistant",
    "ConfigError",
    "EvalSetInvalid",
    "FactBase",
    "FactsDirMissing",
    "FactsError",
    "FactsInvalid",
    "JinshuiQAError",
    "Option",
    "Problem",
    "Reply",
    "RouterSettings",
    "Runtime",
    "Session",
    "StoreError",
    "assistant_for",
    "load",
    "load_assistant",
    "open_runtime",
]

if TYPE_CHECKING:
    from jinshui_qa.bootstrap import Runtime, assistant_for, open_runtime
    from jinshui_qa.bootstrap import bootstrap as load_assistant
    from jinshui_qa.conversation.assistant import Assistant, Option, Reply, Session
    from jinshui_qa.errors import (
        ConfigError,
        EvalSetInvalid,
        FactsDirMissing,
        FactsError,
        FactsInvalid,
        JinshuiQAError,
        Problem,
        StoreError,
    )
    from jinshui_qa.facts.loader import load
    from jinshui_qa.facts.schema import FactBase
    from jinshui_qa.routing.settings import RouterSettings


def __getattr__(name: str) -> Any:
    """Import a public name from its module the first time it is used."""
    target = _EXPORTS.get(name)
    if target is None:
        raise AttributeError(f"module 'jinshui_qa' has no attribute {name!r}")
    module, _, attr = target.partition(":")
    value = getattr(import_module(module), attr or name)
    globals()[name] = value
    return value

"""Actions: the registered, validated units of change, the preconditions they
declare, and the rules that gate them."""

from fabula.actions.action import (
    Action,
    ActionContext,
    ActionInfo,
    ActionRegistry,
    NoParams,
    Refusal,
    RuleContext,
    action,
    action_info,
)
from fabula.actions.precondition import (
    Precondition,
    PreconditionFactory,
    PreconditionTest,
    precondition,
)
from fabula.actions.rules import ActionProposal, Outcome, RuleHooks, Rules

__all__ = [
    "Action",
    "ActionContext",
    "ActionInfo",
    "ActionProposal",
    "ActionRegistry",
    "NoParams",
    "Outcome",
    "Precondition",
    "PreconditionFactory",
    "PreconditionTest",
    "Refusal",
    "RuleContext",
    "RuleHooks",
    "Rules",
    "action",
    "action_info",
    "precondition",
]

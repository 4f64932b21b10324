"""Actions: the registered, validated units of change, and the rules that gate them."""

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
from fabula.actions.rules import ActionProposal, Outcome, Rules

__all__ = [
    "Action",
    "ActionContext",
    "ActionInfo",
    "ActionProposal",
    "ActionRegistry",
    "NoParams",
    "Outcome",
    "Refusal",
    "RuleContext",
    "Rules",
    "action",
    "action_info",
]

"""A plugin adding one action, installed for the tests through a dist-info."""

from fabula.actions import Action, ActionContext, NoParams, Refusal, RuleContext, action


@action("dance", description="Dance a little jig.", verbs=("dance", "jig"))
class Dance(Action):
    Params = NoParams

    def validate(self, ctx: RuleContext, params: NoParams) -> Refusal | None:
        return None

    def execute(self, ctx: ActionContext, params: NoParams) -> None:
        pass

"""What the volunteer and the refugee questionnaires share: their steps and the order they are answered in."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    title: str
    form_class: type
    template: str


def step_to_show(requested: int, steps_done: int) -> int:
    """Steps are answered in order: a later step than the next open one shows the next open one."""
    return min(requested, steps_done + 1)

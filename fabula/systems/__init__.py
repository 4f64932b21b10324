"""Systems and their scheduling: what runs each tick, in which order, and
async work (model requests) that runs beside the ticks."""

from fabula.systems.schedule import Scheduler
from fabula.systems.system import (
    Phase,
    SystemInfo,
    SystemRegistry,
    TickContext,
    system,
    system_info,
)
from fabula.systems.tasks import OnTaskDone, OnTaskFailed, OnTaskTimedOut, TaskHandle, TaskRunner

__all__ = [
    "OnTaskDone",
    "OnTaskFailed",
    "OnTaskTimedOut",
    "Phase",
    "Scheduler",
    "SystemInfo",
    "SystemRegistry",
    "TaskHandle",
    "TaskRunner",
    "TickContext",
    "system",
    "system_info",
]

"""One turn of the neurosymbolic pipeline: how often the parser model is
needed, and what the engine itself costs per turn, model time excluded.

1. **Share of the walkthrough read without the parser model**
   (:mod:`~benchmarks.turn.share`). The demo's walkthrough is played with
   the symbolic parser; at each step, every phrasing in
   :mod:`benchmarks.phrasings` (how people type that step) is parsed against
   the world as it is at that point, and counted as *parsed*, *answered*
   symbolically or sent to the *model*.
2. **Engine overhead per turn** (:func:`run_overhead`), against the issue's
   target: under :data:`TARGET_MS` per turn, model time excluded, at 1k and
   100k entities with 10k memories. The demo is grown to N entities
   (:class:`FilledGame`); ``memories`` turns are played first, and memory is
   rebuilt from their journal in a real Chroma folder, with the demo's lore
   (:mod:`~benchmarks.turn.rig`). Then ``turns`` turns of :data:`CYCLE` are
   played by :meth:`Session.turn <fabula.session.Session.turn>` itself, on a
   session with a brain, that memory and a narrator model, and each is
   timed (:mod:`~benchmarks.turn.overhead`):

   * *parse*, *rules*, *account*, *context*, *narrate* and *memory* are the
     stages the session times itself (``Reply.trace.stages``): the symbolic
     parser; :meth:`~fabula.persistence.SaveFile.play` (validation,
     execution, one tick, the journal append and, every 20 turns, the
     write-behind flush), fsynced as saves are by default; the template
     narrator's account; :meth:`~fabula.narration.Brain.brief` (state
     context, memory recall, verdict and prompt assembly);
     :meth:`~fabula.narration.ModelNarrator.tell` reading the narrator
     model's stream; :meth:`~fabula.narration.Brain.remember` (the history
     entry is made on the turn's path; its embedding and Chroma upsert go
     behind, on memory's own thread);
   * the state context, the recall and *annotate* (the narrator's accounting
     added to the turn's journal row by
     :meth:`~fabula.persistence.SaveFile.annotate`, a second commit) are
     timed by :class:`~benchmarks.turn.probes.Probe` s where the turn calls
     them; what the context spent outside the first two is its *rest*;
   * *session* is what ``Session.turn`` took outside all of those (the
     ending judged before and after, the scene and names memory and the
     verdict need, the narrator's preparation, the reply), and the *total*
     is the whole call;
   * the memory write left behind is waited for after each turn
     (:meth:`~fabula.narration.Brain.settle`) and shown apart, outside the
     total: a player's reading time covers it, and back-to-back turns would
     make the next turn's fsync queue behind its disk writes;
   * a second session, on a copy of the save opened with
     ``durability="process"``, plays the same command; its *rules* and
     *annotate* make the rows without fsync, and the total without fsync is
     the turn's total with them in place of the fsynced ones.

   The first timed turn is shown apart too: it pays one-time costs (field
   indexes built on first use, Chroma settling after the bulk write of the
   memories).

   Model time is excluded by stand-ins (:mod:`~benchmarks.turn.stand_ins`):
   memory embeds with :class:`HashEmbedder`, so Chroma does its real 384-d
   work while no model runs, and the narrator model is a
   :class:`StandInNarratorModel` answering at once, in the process; their
   own time is inside the totals and shown apart. The real
   :class:`~fabula.memory.LocalEmbedder` is timed on the same texts (each
   turn's recall query, as the probe saw it, and its history entry) and
   printed beside the totals, not in them.

Method: :func:`time.perf_counter_ns` around each ``Session.turn``, the
session's own stage timer inside it; median and 95th percentile over the
turns, each as a ratio to :data:`TARGET_MS`. The heap is frozen after setup
(:func:`gc.freeze`), and garbage is collected before, and collection paused
during, every timed turn. Every measurement checks its own work: each
command is journalled as its one action, applied (its success event, no
refusal) and has its effect (the kettle is held after "take kettle"), the
game never ends, the session timed exactly its six stages, recall returns
``k`` memories, the narrator model told the turn within the prompt's
budget, the journal row holds the accounting, memory never turned itself
off, the copy played the same turn, both saves journal every turn and end
in the same state, and memory holds ``memories + turns`` entries and agrees
with the journal (``sync`` finds nothing to do). A failed check raises
:class:`~benchmarks.ecs.VerificationError` and no figure is printed.

The code lives in modules named for what they hold: ``share`` (part 1),
``filled`` (the large world), ``cycle`` (the commands played and their
checks), ``stand_ins`` (what stands in for the models), ``rig`` (the
sessions and how they are set up), ``probes`` (timing calls inside the
turn), ``overhead`` (the timed turns), ``results`` (the target and the
figures), ``report`` (the tables) and ``cli`` (the command line).

Run it with::

    python -m benchmarks.turn [--only share|overhead] [--sizes 1000,100000]
        [--memories 10000] [--turns 200] [--no-model] [--quick] [--markdown]
"""

from __future__ import annotations

from benchmarks.ecs import VerificationError
from benchmarks.turn.cli import QUICK, main
from benchmarks.turn.cycle import CYCLE, Step
from benchmarks.turn.filled import FilledGame
from benchmarks.turn.overhead import run_overhead
from benchmarks.turn.report import environment, markdown_overhead, tables_overhead
from benchmarks.turn.results import SESSION_STAGES, STAGES, TARGET_MS, TOTAL, Overhead
from benchmarks.turn.share import Share, report_share, share_of_walkthrough
from benchmarks.turn.stand_ins import TELLING, HashEmbedder, StandInNarratorModel

__all__ = [
    "CYCLE",
    "QUICK",
    "SESSION_STAGES",
    "STAGES",
    "TARGET_MS",
    "TELLING",
    "TOTAL",
    "FilledGame",
    "HashEmbedder",
    "Overhead",
    "Share",
    "StandInNarratorModel",
    "Step",
    "VerificationError",
    "environment",
    "main",
    "markdown_overhead",
    "report_share",
    "run_overhead",
    "share_of_walkthrough",
    "tables_overhead",
]

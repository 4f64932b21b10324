"""One turn of the neurosymbolic pipeline: how often the parser model is
needed, and what the engine itself costs per turn, model time excluded.

1. **Share of the walkthrough read without the parser model.** The demo's
   walkthrough is played with the symbolic parser; at each step, every
   phrasing in :mod:`benchmarks.phrasings` (how people type that step) is
   parsed against the world as it is at that point. Each is counted as
   *parsed* (structured actions, or a meta command), *answered* (a
   symbolic answer such as "you can't see any such thing" or a question —
   no model would be asked) or *model* (the errors
   :class:`~fabula.parsing.TieredParser` sends to the parser model: unknown verb,
   not understood, unknown noun). Parsed phrasings are also checked against
   the terse command's actions: *same* means the same action ids.
2. **Engine overhead per turn** (:func:`run_overhead`), against the issue's
   target: under :data:`TARGET_MS` per turn, model time excluded, at 1k and
   100k entities with 10k memories. The demo is grown to N entities
   (:class:`FilledGame`); a journal of ``memories`` turns is played first,
   and a real Chroma folder holds the history entries those turns make, plus
   the demo's lore. Then ``turns`` turns of :data:`CYCLE` are played as
   :class:`~fabula.session.Session` plays a turn with a brain, each stage
   timed apart:

   * *parse*: the symbolic parser;
   * *session*: what the session does around the rules: the game's ending
     judged before and after the turn, the scene memory needs, the names the
     verdict needs, the template narrator's preparation;
   * *rules*: :meth:`~fabula.persistence.SaveFile.play` (validation,
     execution, one tick, the journal append and, every 20 turns, the
     write-behind flush), fsynced per turn as saves are by default. The same
     turn is also played on a copy of the save opened with
     ``durability="process"`` and timed apart: the difference is the disk's
     fsync;
   * *account*: the template narrator's telling;
   * *context*: :meth:`~fabula.narration.Brain.brief` (state
     context, memory recall, prompt assembly), and its three parts called
     apart;
   * *annotate*: the narrator's accounting added to the turn's journal row
     (:meth:`~fabula.persistence.SaveFile.annotate`, a second commit), on
     both saves;
   * *memory*: :meth:`~fabula.narration.Brain.remember`: the history
     entry is made on the turn's path; its embedding and Chroma upsert are
     written behind on memory's own thread. A player's reading time covers
     that write; back-to-back turns would make the next turn's fsync queue
     behind its disk writes, so after each turn it is waited for
     (:meth:`~fabula.narration.Brain.settle`) and shown apart, outside
     the total.

   The total adds these up per turn (with the fsynced saves' rules and
   annotate, and again with the copy's). The first timed turn is shown
   apart too: it pays one-time costs (field indexes built on first use,
   Chroma settling after the bulk write of the memories).

   Embedding is model time. Memory embeds with :class:`HashEmbedder`, which
   stands in for the model so that Chroma does its real 384-d work; the real
   :class:`~fabula.memory.LocalEmbedder` is timed apart on the same texts
   and printed beside the totals, not in them.

Method: :func:`time.perf_counter_ns` per stage, median and 95th percentile
over the turns. The heap is frozen after setup (:func:`gc.freeze`), and
garbage is collected before, and collection paused during, every timed
section. Every measurement checks its own work: each command parses to its
action and is applied with its effect (the kettle is held after "take
kettle"), the game never ends, both saves journal every turn and end in the
same state, memory holds ``memories + turns`` entries and agrees with the
journal (``sync`` finds nothing to do), recall returns ``k`` memories, the
prompt fits its budget and equals what the three parts build, the journal
row holds the accounting, and memory never turned itself off. A failed
check raises :class:`~benchmarks.ecs.VerificationError` and no figure is
printed.

The code lives in modules named for what they hold: ``share`` (part 1),
``filled`` (the large world), ``cycle`` (the commands played and their
checks), ``stand_ins`` (what stands in for the models), ``overhead`` (the
timed turns), ``results`` (the target and the figures), ``report`` (the
tables) and ``cli`` (the command line).

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
from benchmarks.turn.results import STAGES, TARGET_MS, Overhead
from benchmarks.turn.share import Share, report_share, share_of_walkthrough
from benchmarks.turn.stand_ins import HashEmbedder

__all__ = [
    "CYCLE",
    "QUICK",
    "STAGES",
    "TARGET_MS",
    "FilledGame",
    "HashEmbedder",
    "Overhead",
    "Share",
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

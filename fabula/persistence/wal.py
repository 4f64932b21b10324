"""Reading a SQLite write-ahead log the way SQLite does, without SQLite.

SQLite trusts the ``-wal`` file beside a database. When it opens one it keeps
the longest run of valid frames from the start and applies the committed part
of that run; everything else is dropped without a word:

* a header with a bad magic number, page size or checksum makes it ignore the
  whole log (a format version other than 3007000 makes it refuse to open);
* the first frame whose salts differ from the header's, whose page number is
  0, or whose cumulative checksum does not match ends the run: the frames
  after it are dropped, committed or not;
* a log from another database is applied all the same, if its page size fits.

For a save that means turns the player saw can vanish, or another database's
pages can replace its own, on the next open. :func:`scan` reads a log with
SQLite's own rules (https://sqlite.org/fileformat2.html, "The WAL File
Format") and also reports what SQLite would drop; :func:`apply` builds the
database image SQLite would see, so a save can be checked (and loaded) from
memory before SQLite touches its files.

The format, in short: a 32-byte header (big-endian words: magic ``0x377f0682``
or ``0x377f0683``, version 3007000, page size, checkpoint sequence, salt-1,
salt-2, and a checksum of the first 24 bytes), then frames of a 24-byte header
(page number, database size in pages for a commit frame else 0, the two salts,
a checksum) and one page. The checksum runs over 32-bit words, big-endian
when the magic's low bit is set and little-endian otherwise, in pairs:
``s0 += x[i] + s1; s1 += x[i+1] + s0`` (modulo 2**32), carried from the header
through every frame header's first 8 bytes and page. Each pair is a linear
step of the state ``(s0, s1)``, so the checksum of a whole page is computed
with numpy from precomputed powers of that step, not word by word in Python.
"""

from __future__ import annotations

import functools
import struct
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "MAGIC",
    "VERSION",
    "WalScan",
    "apply",
    "apply_frames",
    "checksum",
    "frame_checks",
    "scan",
    "scan_frames",
]

MAGIC = 0x377F0682
"""The magic number with little-endian checksums; ``MAGIC | 1`` means big-endian."""

VERSION = 3007000
"""The only WAL format version SQLite writes or reads."""

HEADER_SIZE = 32
FRAME_HEADER_SIZE = 24
_MASK = 0xFFFFFFFF
_BLOCK_BYTES = 8 << 20  # frames checked per numpy batch, by size


@dataclass(frozen=True, slots=True)
class WalScan:
    """What a log holds, and what SQLite would make of it.

    Attributes:
        size: the file's length in bytes.
        page_size: the page size the header gives (0 if the header is unusable).
        salts: the header's salt-1 and salt-2.
        frames: complete frames in the file (a partial last frame not counted).
        valid: frames SQLite accepts, from the first.
        committed: frames SQLite applies: the valid ones up to the last commit.
        pages: the database's size in pages after that commit (0 if none).
        problem: why SQLite would lose committed frames or misread the log, in
            words; ``None`` when it reads everything the log holds.
    """

    size: int
    page_size: int
    salts: tuple[int, int]
    frames: int
    valid: int
    committed: int
    pages: int
    problem: str | None


def scan(data: bytes, page_size: int) -> WalScan:
    """Read a log (its bytes) as SQLite would, for a database of ``page_size``.

    A log is read in full; an uncommitted tail (a transaction interrupted by a
    crash, including a partial last frame) is normal and not a problem. A
    problem is reported when:

    * the file is not empty but too short for a header, or its header is
      unusable while frames follow it (SQLite would ignore them all);
    * its page size is not the database's (it belongs to another database);
    * from the first frame SQLite would reject on, the log holds commit frames
      of its own (its salts, or the rejected frame itself if its checksum
      still chains and only its salts changed): committed transactions
      SQLite would drop. Frames of its own *without* a commit after that
      point are left by a transaction that was rolled back or cut off, and
      are no loss. (A damaged commit marker in the log's very last frame
      looks the same; the lock file's record of the journal's length, see
      :mod:`fabula.persistence.lock`, catches that case.)
    """
    size = len(data)
    empty = WalScan(size, 0, (0, 0), 0, 0, 0, 0, None)
    if size == 0:
        return empty
    if size < HEADER_SIZE:
        return _with(empty, f"is cut short ({size} bytes, less than its 32-byte header)")
    magic, version, log_page, _, salt1, salt2, stored1, stored2 = struct.unpack_from(">8I", data)
    big = bool(magic & 1)
    header_sum = checksum(data[:24], big)
    what = None
    if magic & ~1 != MAGIC:
        what = f"has a bad magic number ({magic:#010x})"
    elif not (512 <= log_page <= 65536 and log_page & (log_page - 1) == 0):
        what = f"has an impossible page size ({log_page})"
    elif header_sum != (stored1, stored2):
        what = "has a header whose checksum does not match"
    elif version != VERSION:
        what = f"has format version {version}, which SQLite does not read (expected {VERSION})"
    if what is not None:
        frame_size = FRAME_HEADER_SIZE + page_size
        found = (size - HEADER_SIZE) // frame_size
        if size > HEADER_SIZE:
            return _with(
                WalScan(size, 0, (salt1, salt2), found, 0, 0, 0, None),
                f"{what}, so SQLite would ignore all {size - HEADER_SIZE:,} bytes after it",
            )
        return WalScan(size, 0, (salt1, salt2), 0, 0, 0, 0, None)
    if log_page != page_size:
        return _with(
            WalScan(size, log_page, (salt1, salt2), 0, 0, 0, 0, None),
            f"has pages of {log_page} bytes but the save has pages of {page_size}: it belongs "
            "to another database",
        )
    return scan_frames(data, log_page, big, (salt1, salt2), header_sum)


def _with(found: WalScan, problem: str) -> WalScan:
    return WalScan(
        found.size,
        found.page_size,
        found.salts,
        found.frames,
        found.valid,
        found.committed,
        found.pages,
        problem,
    )


def scan_frames(
    data: bytes, page: int, big: bool, salts: tuple[int, int], seed: tuple[int, int]
) -> WalScan:
    """The frames part of :func:`scan`, with the header's values given: what
    the log would hold if its header said so (recovery reads a log whose
    header is damaged this way)."""
    frame_size = FRAME_HEADER_SIZE + page
    count = (len(data) - HEADER_SIZE) // frame_size
    headers, linked = frame_checks(data, page, big, seed, count)
    own = (headers[:, 2] == salts[0]) & (headers[:, 3] == salts[1])
    ok = own & linked & (headers[:, 0] != 0)
    bad = np.flatnonzero(~ok)
    valid = int(bad[0]) if len(bad) else count
    commits = np.flatnonzero(headers[:valid, 1] != 0)
    committed = int(commits[-1]) + 1 if len(commits) else 0
    pages = int(headers[committed - 1, 1]) if committed else 0
    problem = None
    if valid < count:
        first = valid  # 0-based: the first frame SQLite rejects
        # Frames written by this log after that point: its own salts, or the
        # rejected frame itself if its checksum chains (only its salts changed).
        ours = own.copy()
        ours[first] |= linked[first]
        ours[:first] = False
        lost = int(((headers[:, 1] != 0) & ours).sum())
        if lost:
            why = (
                "a bad salt"
                if not own[first]
                else "page number 0"
                if headers[first, 0] == 0
                else "a bad checksum"
            )
            problem = (
                f"is damaged at frame {first + 1} of {count} ({why}): SQLite would stop reading "
                f"there and drop the {lost} committed transaction{'s' if lost > 1 else ''} "
                "written after it"
            )
    return WalScan(len(data), page, salts, count, valid, committed, pages, problem)


def frame_checks(
    data: bytes, page: int, big: bool, seed: tuple[int, int], count: int
) -> tuple[np.ndarray, np.ndarray]:
    """The frame headers of a log, and which frames' checksums chain from the one before.

    Returns:
        ``(headers, linked)``: a ``(count, 6)`` array of header words (page,
        commit size, salt-1, salt-2, checksum-1, checksum-2), and a boolean
        per frame: its checksum equals the one computed from the previous
        frame's stored checksum (the header's for the first) and its own
        bytes. A frame is valid for SQLite when it and all before it link,
        so a damaged frame breaks the chain only at itself: the frames after
        it still link to it, which tells a log that went on past damage from
        a log that simply ends.
    """
    frame_size = FRAME_HEADER_SIZE + page
    order = ">u4" if big else "<u4"
    headers = np.empty((count, 6), dtype=np.uint64)
    linked = np.empty(count, dtype=bool)
    steps = 1 + page // 8
    p, q, r = (int(x) for x in _powers(steps)[:, steps])
    previous = np.array(seed, dtype=np.uint64)
    block = max(1, _BLOCK_BYTES // frame_size)
    for start in range(0, count, block):
        n = min(block, count - start)
        raw = np.frombuffer(
            data, dtype=np.uint8, count=n * frame_size, offset=HEADER_SIZE + start * frame_size
        ).reshape(n, frame_size)
        head = raw[:, :FRAME_HEADER_SIZE].copy().view(">u4").astype(np.uint64)
        words = np.concatenate([raw[:, :8], raw[:, FRAME_HEADER_SIZE:]], axis=1)
        added = _contributions(words.copy().view(order).astype(np.uint32))
        before = np.vstack([previous[None, :], head[:-1, 4:6]])
        expect0 = (p * before[:, 0] + q * before[:, 1] + added[:, 0]) & _MASK
        expect1 = (q * before[:, 0] + r * before[:, 1] + added[:, 1]) & _MASK
        headers[start : start + n] = head
        linked[start : start + n] = (expect0 == head[:, 4]) & (expect1 == head[:, 5])
        previous = head[-1, 4:6]
    return headers, linked


def checksum(data: bytes, big: bool, seed: tuple[int, int] = (0, 0)) -> tuple[int, int]:
    """SQLite's WAL checksum of ``data`` (a multiple of 8 bytes), from ``seed``.

    Example:
        >>> checksum(bytes(8), big=True)
        (0, 0)
        >>> checksum((1).to_bytes(4, "big") + (2).to_bytes(4, "big"), big=True)
        (1, 3)
    """
    words = np.frombuffer(data, dtype=">u4" if big else "<u4").astype(np.uint32)
    steps = len(words) // 2
    p, q, r = (int(x) for x in _powers(steps)[:, steps])
    added = _contributions(words.reshape(1, -1))[0]
    s0, s1 = seed
    return (p * s0 + q * s1 + int(added[0])) & _MASK, (q * s0 + r * s1 + int(added[1])) & _MASK


def _contributions(words: np.ndarray) -> np.ndarray:
    """What each row of 32-bit words adds to a checksum started from (0, 0).

    One pair ``(a, b)`` maps the state ``s`` to ``A @ s + (a, a + b)`` with
    ``A = [[1, 1], [1, 2]]``, so after ``n`` pairs the state is ``A**n @ s``
    plus the sum of ``A**(n-1-k) @ (a_k, a_k + b_k)``. Arithmetic is in
    uint32 (products wrap modulo 2**32, as SQLite's do) and sums in uint64.
    """
    steps = words.shape[1] // 2
    table = _powers(steps)
    p, q, r = (table[i, steps - 1 :: -1] if steps else table[i, :0] for i in range(3))
    a = words[:, 0::2]
    ab = a + words[:, 1::2]
    total0 = (a * p).sum(axis=1, dtype=np.uint64) + (ab * q).sum(axis=1, dtype=np.uint64)
    total1 = (a * q).sum(axis=1, dtype=np.uint64) + (ab * r).sum(axis=1, dtype=np.uint64)
    return np.stack([total0 & _MASK, total1 & _MASK], axis=1)


@functools.cache
def _powers(steps: int) -> np.ndarray:
    """``A**m`` for ``m`` in ``0..steps`` as rows ``p, q, r`` (``A**m = [[p, q], [q, r]]``)."""
    table = np.empty((3, steps + 1), dtype=np.uint32)
    p, q, r = 1, 0, 1
    for m in range(steps + 1):
        table[:, m] = (p, q, r)
        p, q, r = (p + q) & _MASK, (p + 2 * q) & _MASK, (q + 2 * r) & _MASK
    table.setflags(write=False)
    return table


def apply(main: bytes, data: bytes, found: WalScan) -> bytearray:
    """The database image SQLite would read: ``main`` with the log's committed
    frames applied (``data`` is the log, ``found`` what :func:`scan` found in it)."""
    return apply_frames(main, data, found.page_size, range(1, found.committed + 1))


def apply_frames(main: bytes, data: bytes, page_size: int, frames: Sequence[int]) -> bytearray:
    """``main`` with the given frames of a log applied in order (numbered from
    1); the last must be a commit frame, whose database size the image takes.
    Recovery uses it to try readings of a damaged log that SQLite would not.

    Raises:
        ValueError: the commit frame gives a size no database written by
            these frames could have (a log of another database, or noise).
    """
    if not frames:
        return bytearray(main)
    frame_size = FRAME_HEADER_SIZE + page_size
    (pages,) = struct.unpack_from(">I", data, HEADER_SIZE + (frames[-1] - 1) * frame_size + 4)
    if pages > len(main) // page_size + len(frames):
        raise ValueError(
            f"a database of {pages} pages, more than the file and the log hold together"
        )
    image = bytearray(main[: pages * page_size].ljust(pages * page_size, b"\0"))
    for frame in frames:
        offset = HEADER_SIZE + (frame - 1) * frame_size
        (number,) = struct.unpack_from(">I", data, offset)
        if 0 < number <= pages:
            start = offset + FRAME_HEADER_SIZE
            image[(number - 1) * page_size : number * page_size] = data[start : start + page_size]
    return image

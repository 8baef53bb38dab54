"""Extraction in worker processes, with the results in input order (``--jobs N``).

``extract_parallel(extractor, documents, jobs)`` yields, for each document in turn, exactly
what ``ruleie.run.extract_document`` returns for it: its list of Extraction, or its error
record. Serializing those gives byte for byte what a serial run writes.

* Each worker gets the extractor pickled (rule paths and content digest, see
  ``Extractor.__reduce__``) and rebuilds it once; a worker whose rules differ from the
  parent's fails to start and ``WorkerError`` is raised.
* Memory is bounded: at most ``window`` documents (default ``4 * jobs``) have been read
  from ``documents`` and not yet yielded, whatever the size of the corpus. A slow document
  holds up output, not reading: the others go on until the window is full.
* A worker process that dies (a crash in a native library, the kernel's OOM killer, a
  signal) costs the document it was extracting: that document gets a ``crash`` error
  record, the documents queued behind it go to other workers, and a new worker takes its
  place. An unexpected exception inside extraction gives an ``internal`` error record for
  that document alone (a serial run would stop there).

Workers are started with the ``spawn`` method by default (no fork of a process that may hold
threads or locks). As with any ``multiprocessing`` code, a script that calls this must guard
its entry point with ``if __name__ == "__main__":``; ``ruleie`` and ``python -m ruleie`` do.
"""

from __future__ import annotations

import heapq
import multiprocessing
import os
import pickle
import queue
import signal
import threading
from collections import deque
from collections.abc import Mapping
from multiprocessing.connection import wait
from typing import Any, Iterable, Iterator

from .emit import error_record
from .extractor import Extraction, Extractor
from .inputs import Document
from .run import extract_document

_DEPTH = 2  # documents sent to a worker ahead of its results: one in work, one waiting
_STOP = b""


class WorkerError(RuntimeError):
    """The worker processes cannot start (the rules cannot be rebuilt there)."""


def as_document(item: Any, number: int) -> Document:
    """A Document from what ``Extractor.extract_many`` accepts: a text (its id is its
    position), an (id, text) or (id, text, date) tuple, or a mapping with ``text`` and
    optional ``id`` and ``date``; a Document stays as it is."""
    if isinstance(item, Document):
        return item
    if isinstance(item, str):
        return Document(str(number), item)
    if isinstance(item, tuple):
        return Document(str(item[0]), item[1], item[2] if len(item) > 2 else None)
    if isinstance(item, Mapping):
        return Document(str(item.get("id", number)), item["text"], item.get("date"))
    raise TypeError(f"document {number}: expected a text, a tuple, a mapping or a Document, not {type(item).__name__}")


# Below this much input a serial run finishes before workers have loaded the rules.
PARALLEL_FROM_BYTES = 1_000_000


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_parallel(
    extractor: Extractor,
    documents: Iterable[Any],
    jobs: int,
    doc_date=None,
    *,
    window: int | None = None,
    start_method: str | None = None,
) -> Iterator[list[Extraction] | dict[str, Any]]:
    """Results of ``documents`` (see ``as_document``) in input order, from ``jobs`` worker
    processes; ``jobs == 1`` runs in this process. ``doc_date`` is the date relative dates
    resolve against, as ``ruleie extract --doc-date`` gives it."""
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, not {jobs}")
    window = window if window is not None else 4 * jobs
    if window < 1:
        raise ValueError(f"window must be at least 1, not {window}")
    if jobs == 1:
        return _serial(extractor, documents, doc_date)
    context = multiprocessing.get_context(start_method or "spawn")
    return _Run(extractor, jobs, doc_date, window, context).results(documents)


def _serial(extractor: Extractor, documents: Iterable[Any], doc_date) -> Iterator:
    for number, item in enumerate(documents):
        yield extract_document(extractor, as_document(item, number), doc_date)


# -- the worker side --------------------------------------------------------------------------


def _serve(tasks, results, payload: bytes) -> None:
    """A worker: rebuild the extractor, then extract each document sent until told to stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        extractor = pickle.loads(payload)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        results.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    results.send(("ready", None))
    # A thread keeps reading what the parent sends, so that neither side can block the
    # other with a full pipe (a big document one way, a big result the other).
    inbox: queue.SimpleQueue = queue.SimpleQueue()
    threading.Thread(target=_receive, args=(tasks, inbox), daemon=True).start()
    while (raw := inbox.get()) != _STOP:
        seq, document, doc_date = pickle.loads(raw)  # here, so a crash is the document's own
        try:
            result = extract_document(extractor, document, doc_date)
        except Exception as exc:  # noqa: BLE001 - one document's failure, reported as its record
            result = error_record(document.id, "internal", f"{type(exc).__name__}: {exc}")
        results.send(("done", seq, result))


def _receive(tasks, inbox: queue.SimpleQueue) -> None:
    try:
        while True:
            raw = tasks.recv_bytes()
            inbox.put(raw)
            if raw == _STOP:
                return
    except (EOFError, OSError):  # the parent is gone
        inbox.put(_STOP)


# -- the parent side --------------------------------------------------------------------------


class _Worker:
    def __init__(self, context, payload: bytes):
        task_reader, self.tasks = context.Pipe(duplex=False)
        self.results, result_writer = context.Pipe(duplex=False)
        self.process = context.Process(target=_serve, args=(task_reader, result_writer, payload), daemon=True)
        self.process.start()
        task_reader.close()  # the parent keeps only its own ends, so a dead worker reads as EOF
        result_writer.close()
        self.ready = False
        self.broken = False  # a send failed: the process is dead, its sentinel will tell
        self.queue: deque[int] = deque()  # sequence numbers sent, oldest (the one in work) first

    def send(self, seq: int, document: Document, doc_date) -> bool:
        """Whether the document reached the worker's pipe. A worker that died and is not yet
        buried has a broken pipe: the document was not sent and goes back in line."""
        try:
            self.tasks.send_bytes(pickle.dumps((seq, document, doc_date), pickle.HIGHEST_PROTOCOL))
        except OSError:
            self.broken = True
            return False
        self.queue.append(seq)
        return True

    def stop(self, graceful: bool) -> None:
        if graceful and self.process.is_alive():
            try:
                self.tasks.send_bytes(_STOP)
            except OSError:
                pass
            self.process.join(5)
        if self.process.is_alive():
            self.process.terminate()
            self.process.join(5)
        self.tasks.close()
        self.results.close()

    def how_it_ended(self) -> str:
        self.process.join(5)
        code = self.process.exitcode
        if code is not None and code < 0:
            try:
                return f"killed by signal {signal.Signals(-code).name}"
            except ValueError:
                return f"killed by signal {-code}"
        return f"exit code {code}"


class _Run:
    """One parallel run: the window of documents, the workers, and the results to put in order."""

    def __init__(self, extractor: Extractor, jobs: int, doc_date, window: int, context):
        self.payload = pickle.dumps(extractor)
        self.jobs = jobs
        self.doc_date = doc_date
        self.window = window
        self.context = context
        self.workers: list[_Worker] = []
        self.start_failures = 0
        self.held: dict[int, Document] = {}  # read and not yet yielded
        self.todo: list[int] = []  # heap of sequence numbers to send (new, or back from a dead worker)
        self.done: dict[int, Any] = {}
        self.next_seq = self.next_out = 0
        self.exhausted = False

    def results(self, documents: Iterable[Any]) -> Iterator:
        source = enumerate(documents)
        finished = False
        try:
            self.workers = [_Worker(self.context, self.payload) for _ in range(self.jobs)]
            while True:
                self._read(source)
                self._dispatch()
                if self.next_out in self.done:
                    result = self.done.pop(self.next_out)
                    del self.held[self.next_out]
                    self.next_out += 1
                    yield result
                    self._collect(timeout=0)
                    continue
                if self.exhausted and self.next_out == self.next_seq:
                    finished = True
                    return
                self._collect(timeout=None)
        finally:
            for worker in self.workers:
                worker.stop(graceful=finished)

    def _read(self, source) -> None:
        while not self.exhausted and self.next_seq - self.next_out < self.window:
            try:
                number, item = next(source)
            except StopIteration:
                self.exhausted = True
                return
            document = as_document(item, number)
            seq = self.next_seq
            self.next_seq += 1
            self.held[seq] = document
            if document.error is not None:  # unreadable: its error record needs no worker
                self.done[seq] = error_record(document.id, "unreadable", document.error)
            else:
                heapq.heappush(self.todo, seq)

    def _dispatch(self) -> None:
        for worker in self.workers:
            while self.todo and worker.ready and not worker.broken and len(worker.queue) < _DEPTH:
                seq = heapq.heappop(self.todo)
                if not worker.send(seq, self.held[seq], self.doc_date):
                    heapq.heappush(self.todo, seq)

    def _collect(self, timeout: float | None) -> None:
        by_handle = {}
        for worker in self.workers:
            by_handle[worker.results] = worker
            by_handle[worker.process.sentinel] = worker
        dead = []
        for handle in wait(list(by_handle), timeout):
            worker = by_handle[handle]
            if worker in dead:
                continue
            if handle is worker.results:
                try:
                    self._receive(worker)
                    continue
                except (EOFError, OSError):
                    pass
            dead.append(worker)
        for worker in dead:
            self._bury(worker)

    def _receive(self, worker: _Worker) -> None:
        while worker.results.poll():
            message = worker.results.recv()
            if message[0] == "done":
                _, seq, result = message
                worker.queue.popleft()
                self.done[seq] = result
            elif message[0] == "ready":
                worker.ready = True
            else:
                raise WorkerError(f"a worker process could not rebuild the extractor: {message[1]}")

    def _bury(self, worker: _Worker) -> None:
        """A worker died: its document in work gets a crash record, the rest go back in line."""
        try:
            self._receive(worker)  # results it sent before it died
        except (EOFError, OSError):
            pass
        how = worker.how_it_ended()
        worker.stop(graceful=False)
        self.workers.remove(worker)
        if not worker.ready:
            self.start_failures += 1
            if self.start_failures > self.jobs:
                raise WorkerError(f"worker processes die while starting ({how})")
        elif worker.queue:
            seq = worker.queue.popleft()
            message = f"the worker process extracting this document died ({how})"
            self.done[seq] = error_record(self.held[seq].id, "crash", message)
            for seq in worker.queue:
                heapq.heappush(self.todo, seq)
        if self.todo or not self.exhausted:
            self.workers.append(_Worker(self.context, self.payload))

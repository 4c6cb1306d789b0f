"""The image-reading pool: processes (OCR holds the GIL between model runs), sized so reading never starves
the server: on a 2-core machine one process with one thread, leaving the other core to HTTP and the worker."""
from __future__ import annotations

import asyncio
import multiprocessing
import os
import select
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor

from bot.media.reading import Reading, init_worker, ocr_installed, read_image, warm_up


def exit_with(server_pid: int) -> None:
    """End this pool process as soon as the server process ends, however it ends.

    A pool process is the forkserver's child, not the server's, and it waits on its task queue, whose other end
    it holds itself: when the server is killed (SIGKILL, OOM) nothing tells it, and it would keep the forkserver
    and the resource tracker alive with it. A daemon thread waits on the server's pidfd and exits the process."""
    def watch() -> None:
        try:
            fd = os.pidfd_open(server_pid)
        except ProcessLookupError:
            os._exit(0)  # the server is already gone
        except (AttributeError, OSError):  # no pidfd (not Linux, kernel < 5.3): look every two seconds
            while _alive(server_pid):
                time.sleep(2)
            os._exit(0)
        select.select([fd], [], [])
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-server", daemon=True).start()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _init_pool_process(threads: int, server_pid: int) -> None:
    init_worker(threads)
    exit_with(server_pid)


def pool_size(workers: int = 0, cpus: int | None = None) -> tuple[int, int]:
    """(processes, threads per process) for ``cpus`` cores: one core is always left to the server."""
    cpus = cpus or os.cpu_count() or 1
    spare = max(1, cpus - 1)
    workers = workers or max(1, min(4, spare // 2))
    return workers, max(1, min(4, spare // workers))


class ImageReader:
    """Reads images off the event loop: ``await reader.read(data)``. ``use_ocr`` False (``[media] ocr = "off"``,
    or the extra not installed) still decodes QR codes."""

    def __init__(self, executor: Executor, *, use_ocr: bool) -> None:
        self._executor, self.use_ocr = executor, use_ocr and ocr_installed()

    @classmethod
    def processes(cls, *, workers: int = 0, use_ocr: bool = True) -> ImageReader:
        count, threads = pool_size(workers)
        pool = ProcessPoolExecutor(max_workers=count, mp_context=multiprocessing.get_context("forkserver"),
                                   initializer=_init_pool_process, initargs=(threads, os.getpid()))
        return cls(pool, use_ocr=use_ocr)

    @classmethod
    def threads(cls, *, use_ocr: bool = True) -> ImageReader:
        """One reading thread in this process (tests, and the benchmark's per-image cost)."""
        return cls(ThreadPoolExecutor(max_workers=1, thread_name_prefix="read"), use_ocr=use_ocr)

    async def read(self, data: bytes) -> Reading:
        return await asyncio.get_running_loop().run_in_executor(self._executor, read_image, data, self.use_ocr)

    def warm(self) -> None:
        """Load the OCR models in the pool now rather than on the first image."""
        if self.use_ocr:
            self._executor.submit(warm_up, True)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)

"""gunicorn's configuration for `samverkan serve` (loaded with ``-c python:...``).

The numbers (bind, workers, threads, timeouts) come from the command line that
`samverkan serve` builds from the settings; this module adds what a command line
cannot: the hooks. Requests are logged by the application (by route name, as JSON),
so gunicorn's access log stays off; its own messages go to stderr."""

import os
import shutil

from prometheus_client import multiprocess

accesslog = None
# No control socket (gunicorn 27): nothing outside the service manager steers it, and the
# service user has no home folder to put it in.
control_socket_disable = True
errorlog = "-"
# Workers are recycled now and then (a slow leak never grows for long); the jitter keeps
# them from restarting all at once.
max_requests = 2000
max_requests_jitter = 200
# Requests are read by gunicorn before the worker is busy: fine behind a reverse proxy.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108  # nosec B108


def on_starting(server):
    """Start with empty Prometheus files (multiprocess mode), so that counts from an
    earlier run are not added to this one."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    """A worker that ended no longer reports live values."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)

"""Whether a process of this host is still running, for work a dead process left behind."""

import os


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # running, owned by another user
        return True
    return True

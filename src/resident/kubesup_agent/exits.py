"""Why a program ended: the kernel's OOM kills (kmsg records, the memory cgroup's counter) and supervisord's words
on the exit, made into one reason."""
import errno
import os

from .common import SIGNALS, read_text


def oom_counter_file(proc, cgroup_root, pid):
    """The file with the kernel's oom_kill count for pid's memory cgroup (v2 memory.events, v1 memory.oom_control),
    found while pid lives (its /proc entry goes with it), or None."""
    for line in (read_text('%s/%d/cgroup' % (proc, pid)) or '').splitlines():
        parts = line.split(':', 2)
        if len(parts) == 3 and parts[1] in ('', 'memory'):
            path = cgroup_root + ('/memory' if parts[1] else '') + parts[2].rstrip('/')
            path += '/memory.oom_control' if parts[1] else '/memory.events'
            if oom_kills(path) is not None:
                return path
    return None


def oom_kills(path):
    for row in (path and read_text(path) or '').splitlines():
        if row.startswith('oom_kill '):
            return int(row.split()[1])
    return None


def kmsg_killed_pids(fd):
    """Pids in the kernel's `Killed process N (comm)` records read from fd since the last call (non-blocking)."""
    pids = set()
    while fd is not None:
        try:
            chunk = os.read(fd, 8192)
        except OSError as e:
            if e.errno == errno.EPIPE:  # records overwritten before we read them: go on with the next
                continue
            break
        if not chunk:
            break
        for line in chunk.decode('utf-8', 'replace').splitlines():
            at = line.find('Killed process ')
            if at >= 0:
                pids.add(int(line[at + 15:].split(' ', 1)[0]))
    return pids


def exit_reason(operator, hung, oom, status):
    """(reason, detail) of one exit; status is supervisord's own words: `exit status N`, `terminated by SIG...`."""
    if operator:
        return 'operator', 'stopped by the operator (%s)' % (status or 'status unknown')
    if hung:
        return hung[0], '%s; then %s' % (hung[1], status or 'status unknown')
    if oom:
        return 'oom_killed', '%s (%s)' % (oom, status or 'status unknown')
    if status and status.startswith('terminated by '):
        return 'crashed', status
    return 'exited', status or 'status unknown'


def wait_words(status):
    """A wait status in supervisord's words (as its log would say them), or None."""
    if status is None:
        return None
    if status & 0x7f:
        return 'terminated by %s' % SIGNALS.get(status & 0x7f, 'signal %d' % (status & 0x7f))
    return 'exit status %d' % (status >> 8)

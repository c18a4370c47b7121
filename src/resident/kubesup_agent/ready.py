"""A Type=notify daemon's start (imported only where one is moved): its first READY=1 marks it started, as
systemd's start job ended there; the agent writes <run_dir>/ready/<program> ({"pid", "time"}) for `status` and
the migration's verify; no READY=1 within start_timeout_sec of its exec fails the start as systemd does."""
import os
import time

from .common import SIGTERM, dumps, loads, monotonic, read_text, write_atomic


def heard(agent, name, sender):
    """READY=1 from `sender` (its pid, or None where Python cannot tell: 2.7)."""
    life = agent.life.get(name) or {}
    if not life.get('running'):
        # Not RUNNING to us yet (supervisord's events may come after a quick daemon's READY=1): kept, and judged
        # by its sender once the run's pid is known.
        agent.early[name] = (time.time(), sender)
    elif not life.get('ready'):  # the first one counts
        life['ready'], life['ready_pid'] = time.time(), sender
        known(agent, name)


def known(agent, name):
    """Its pid and READY=1 both known: the ready file (in run_dir: a reboot clears it), the start's clock ended."""
    life = agent.life[name]
    if life.get('ready_pid') and life['ready_pid'] != life['pid'] and agent.main_only(name):
        life['ready'] = None  # said by another process while it started (NotifyAccess=main)
        return
    agent.timers.pop(('start', name), None)
    write_atomic(agent.run_dir('ready', name), dumps({'pid': life['pid'], 'time': life['ready']}) + '\n', 0o644,
                 False)


def running(agent, name, seen_start):
    """At RUNNING: READY=1 said already (or by this pid before the agent started), or the start timeout armed
    (only for a start this agent saw: one it found running may have said READY=1 before it listened)."""
    life, program = agent.life[name], agent.programs[name]
    early = agent.early.pop(name, None)
    if early and not life.get('ready'):
        life['ready'], life['ready_pid'] = early
    if not life.get('ready'):
        try:
            marker = loads((read_text(agent.run_dir('ready', name)) or 'null').encode())
        except ValueError:
            marker = None
        if isinstance(marker, dict) and marker.get('pid') == life['pid']:
            life['ready'], life['ready_pid'] = marker.get('time'), None
    if life.get('ready'):
        known(agent, name)
    timeout = program.get('start_timeout_sec')
    if seen_start and timeout and not life.get('ready'):
        # From its exec: the wrapper may first wait out its restart pacing (its pace file says until when).
        pace = (read_text(os.path.join(agent.c['run_dir'], '%s.pace' % name)) or '').split()
        wait = float(pace[0]) - time.time() if len(pace) > 2 and pace[2] == str(life['pid']) else 0
        detail = 'start: no READY=1 within TimeoutStartSec=%ds (pid %d)' % (timeout, life['pid'])
        agent.timers[('start', name)] = (monotonic() + max(0, wait) + timeout,
                                         lambda: agent.hang(name, 'hung_watchdog', detail, SIGTERM))


def not_ready(agent, name):
    """A new start, or an end: the ready file goes (its pid would not match anyway; this keeps the folder true)."""
    agent.timers.pop(('start', name), None)
    try:
        os.unlink(os.path.join(agent.c['run_dir'], 'ready', name))
    except OSError:
        pass

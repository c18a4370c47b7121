"""kubesup-agent: the one resident piece on a migrated node, a supervisord event listener (Python 2.7 and 3, stdlib).

supervisord runs it with its own interpreter (`python -S -I` on 3, `python -S` on 2.7), so it imports little.
It is this script and the kubesup_agent/ folder beside it, installed together (here /usr/lib/kubesup-tui/agent/):
the script puts its own folder on sys.path (`-I` leaves it out) and writes no .pyc there; bytecode compiled at
install by the same interpreter (`python -m compileall <folder>`) is read, and spares each start the compile: about
0.9 MB less private memory on 3.11, 0.5 MB on 2.7.
  [eventlistener:kubesup-agent]  command=/usr/bin/python3 -S -I /usr/lib/kubesup-tui/agent/kubesup-agent.py
    --config /etc/kubesup-tui/agent.json   events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE   autorestart=true
    buffer_size=100   (events wait there while the listener is busy: 10, the default, may overflow at boot)
It keeps, from supervisord's events: every program's exits with a reason (exited, crashed, oom_killed,
hung_watchdog, hung_healthz, operator) and counters that never go down (`<state_dir>/agent-state.json`), and
node_exporter's `<textfile_dir>/kubesup.prom`, rewritten within a second of every change and not otherwise.
It serves sd_notify (a Type=notify daemon's READY=1, and the watchdog), probes healthz, and wakes supervisord the
moment a watched daemon dies.

Config (JSON; every key optional, defaults shown; `programs_dir`: a folder of <program>.json files, each one
program's settings, added to `programs`: the migration writes one per moved unit, /etc/kubesup-tui/agent.d):
  {"textfile_dir": null, "state_dir": "/var/lib/kubesup-tui", "run_dir": "/run/kubesup-tui",
   "supervisor_socket": "/var/run/supervisor.sock", "supervisor_auth": null ("user:password"), "history": 20,
   "kmsg": "/dev/kmsg", "proc": "/proc", "cgroup_root": "/sys/fs/cgroup",
   "programs": {"kubelet": {"unit": "kubelet.service", "alive_fifo": true, "watchdog_sec": 60, "kill_grace": 10,
     "healthz": {"url": "http://127.0.0.1:10248/healthz", "interval": 10, "timeout": 10, "failures": 6,
                 "grace": 120}},
                "containerd": {"unit": "containerd.service", "alive_fifo": false, "watchdog_sec": null,
                  "notify": true, "notify_access": "main", "start_timeout_sec": 90}}}
`kill_grace`: a hung daemon gets SIGABRT (watchdog; Go prints every goroutine's stack) or SIGTERM (healthz, as
GCE's health-monitor.sh), and SIGKILL this many seconds later: room to write the stacks, short of a second hang.
State (`<state_dir>/agent-state.json`, for `status --json`): {"restarts": {program: {reason: count}}, "history":
  [{"time", "program", "group", "pid", "reason", "detail", "exit", "signal"}, ...]} (the last `history` exits).
An exit counts once it has ended a run (RUNNING or STARTING), or a stop (STOPPING: the operator). Ends during
supervisord's own shutdown are not counted: it stops its listeners with the programs and sends no event then.
Program wrapper (`<run>` = run_dir), before `exec` of the daemon:
  [ -p <run>/alive/kubelet ] && exec 9<>"<run>/alive/kubelet"    # held by the daemon; its death = POLLHUP here
  export NOTIFY_SOCKET=<run>/notify/kubelet WATCHDOG_USEC=60000000 WATCHDOG_PID=$$   # with watchdog_sec
  export NOTIFY_SOCKET=<run>/notify/containerd     # "notify": true (Type=notify) without watchdog_sec
`notify`: its first READY=1 marks it started, as systemd's start job ended there: the agent writes
<run>/ready/<program> ({"pid", "time"}; gone at its next start, and at a reboot with /run) for `status` and the
migration's verify. None within `start_timeout_sec` (TimeoutStartSec=; null: for ever) of its exec (after the
wrapper's pacing) and it gets SIGTERM, SIGKILL kill_grace later (its main process only: containerd's shims live),
recorded as hung_watchdog ("start: no READY=1 ..."), and supervisord starts it again, as systemd would. Only a
start the agent saw is timed: one running when it starts may have said READY=1 before it listened.
`notify_access` "main" (NotifyAccess=, systemd's default for notify): a message from another pid is ignored (a
child's READY=1 counts for nothing). Python 3 only: 2.7's socket cannot read the sender (SCM_CREDENTIALS), and
there any process's counts, once; harmless for containerd (its shims never send, runc is run without
NOTIFY_SOCKET) and etcd (NotifyAccess=all). Any datagram is read: unknown lines and senders are ignored.
(NOTIFY_SOCKET even before the agent has bound it: at boot both start together; kubelet retries a failed ping
twice, logs it and pings again half a timeout later, and the agent's timer starts at RUNNING.)
The daemon's children inherit fd 9: a short-lived child only delays the wake-up until it exits (supervisord's
own 1 s pass still reaps the daemon), it never hides a death. One that outlives the daemon keeps the FIFO open
and so the fast path off while it lives: containerd's shims would, so set "alive_fifo": false for containerd.
A daemon already running when the agent starts is caught too: the kernel reports POLLHUP for writers present
at a non-blocking reader's open (fifo_open), and hides it only until the first writer when there was none.
"""
import os
import sys
try:
    import _signal as signals  # Python 3: `signal` would import enum (about 1 MB)
except ImportError:
    import signal as signals

sys.dont_write_bytecode = True  # the installed folder stays as installed (and the repository clean)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from kubesup_agent.agent import Agent  # noqa: E402
from kubesup_agent.common import SIGTERM, loads, log  # noqa: E402


def stop(signal, frame):
    raise SystemExit('signal %d' % signal)


def programs_in(folder):
    """Each <program>.json in the folder: one moved unit's settings (the migration writes one per unit)."""
    found = {}
    for name in sorted(os.listdir(folder)) if os.path.isdir(folder) else []:
        if name.endswith('.json') and not name.startswith('.'):
            try:
                found[name[:-5]] = loads(open(os.path.join(folder, name), 'rb').read())
            except ValueError as e:
                raise ValueError('%s: %s' % (os.path.join(folder, name), e))
    return found


def main(argv):
    if len(argv) != 3 or argv[1] != '--config':
        log('usage: kubesup-agent.py --config FILE')
        return 2
    try:
        config = loads(open(argv[2], 'rb').read())
        if isinstance(config, dict) and config.get('programs_dir'):
            config['programs'] = dict(config.get('programs') or {}, **programs_in(config['programs_dir']))
        if not isinstance(config, dict) or not isinstance(config.get('programs'), dict):
            raise ValueError('want a JSON object with "programs": {name: {...}}')
        for name, program in config['programs'].items():
            url = (program.get('healthz') or {}).get('url')
            host = url and url[7:].split('/')[0].split(':')[0]
            if url and (not url.startswith('http://') or not (host == 'localhost' or host.replace('.', '').isdigit())):
                raise ValueError('%s: healthz url must be http://<IPv4 address or localhost>[:port]/path' % name)
        agent = Agent(config)
    except (IOError, OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        log('cannot start with %s: %s' % (argv[2], e))
        return 2
    for signal in (SIGTERM, 2, 1):  # SIGINT, SIGHUP
        signals.signal(signal, stop)
    try:
        agent.run()
    except SystemExit as e:
        for finish in list(agent.pending.values()):
            finish(None)
        agent.up = False
        agent.flush()
        log('%s: wrote node_supervisord_up 0' % e)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))

"""kubesup-agent: the one resident piece on a migrated node, a supervisord event listener (Python 2.7 and 3, stdlib).

supervisord runs it with its own interpreter (`python -S -I` on 3, `python -S` on 2.7), so it imports little:
  [eventlistener:kubesup-agent]  command=/usr/bin/python3 -S -I /usr/lib/kubesup-tui/kubesup-agent.py
    --config /etc/kubesup-tui/agent.json   events=PROCESS_STATE,SUPERVISOR_STATE_CHANGE   autorestart=true
    buffer_size=100   (events wait there while the listener is busy: 10, the default, may overflow at boot)
It keeps, from supervisord's events: every program's exits with a reason (exited, crashed, oom_killed,
hung_watchdog, hung_healthz, operator) and counters that never go down (`<state_dir>/agent-state.json`), and
node_exporter's `<textfile_dir>/kubesup.prom`, rewritten within a second of every change and not otherwise.
It serves sd_notify's watchdog, probes healthz, and wakes supervisord the moment a watched daemon dies.

Config (JSON; every key but `programs` optional, defaults shown):
  {"textfile_dir": null, "state_dir": "/var/lib/kubesup-tui", "run_dir": "/run/kubesup-tui",
   "supervisor_socket": "/var/run/supervisor.sock", "supervisor_auth": null ("user:password"), "history": 20,
   "kmsg": "/dev/kmsg", "proc": "/proc", "cgroup_root": "/sys/fs/cgroup",
   "programs": {"kubelet": {"unit": "kubelet.service", "alive_fifo": true, "watchdog_sec": 60, "kill_grace": 10,
     "healthz": {"url": "http://127.0.0.1:10248/healthz", "interval": 10, "timeout": 10, "failures": 6,
                 "grace": 120}}}}
`kill_grace`: a hung daemon gets SIGABRT (watchdog; Go prints every goroutine's stack) or SIGTERM (healthz, as
GCE's health-monitor.sh), and SIGKILL this many seconds later: room to write the stacks, short of a second hang.
State (`<state_dir>/agent-state.json`, for `status --json`): {"restarts": {program: {reason: count}}, "history":
  [{"time", "program", "group", "pid", "reason", "detail", "exit", "signal"}, ...]} (the last `history` exits).
An exit counts once it has ended a run (RUNNING or STARTING), or a stop (STOPPING: the operator). Ends during
supervisord's own shutdown are not counted: it stops its listeners with the programs and sends no event then.
Program wrapper (`<run>` = run_dir), before `exec` of the daemon:
  [ -p <run>/alive/kubelet ] && exec 9<>"<run>/alive/kubelet"    # held by the daemon; its death = POLLHUP here
  export NOTIFY_SOCKET=<run>/notify/kubelet WATCHDOG_USEC=60000000 WATCHDOG_PID=$$   # with watchdog_sec only
(NOTIFY_SOCKET even before the agent has bound it: at boot both start together; kubelet retries a failed ping
twice, logs it and pings again half a timeout later, and the agent's timer starts at RUNNING.)
The daemon's children inherit fd 9: a short-lived child only delays the wake-up until it exits (supervisord's
own 1 s pass still reaps the daemon), it never hides a death. One that outlives the daemon keeps the FIFO open
and so the fast path off while it lives: containerd's shims would, so set "alive_fifo": false for containerd.
A daemon already running when the agent starts is caught too: the kernel reports POLLHUP for writers present
at a non-blocking reader's open (fifo_open), and hides it only until the first writer when there was none.
"""
import errno
import os
import select
import sys
import time
import _json
import _socket
try:
    import _signal as signals  # Python 3: `signal` would import enum (about 1 MB)
except ImportError:
    import signal as signals
STATES = {'STOPPED': 0, 'STARTING': 10, 'RUNNING': 20, 'BACKOFF': 30, 'STOPPING': 40, 'EXITED': 100,
          'FATAL': 200, 'UNKNOWN': 1000}
REASONS = ('exited', 'crashed', 'oom_killed', 'hung_watchdog', 'hung_healthz', 'operator')
SIGABRT, SIGKILL, SIGTERM = 6, 9, 15
SIGNALS = {1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 4: 'SIGILL', 6: 'SIGABRT', 7: 'SIGBUS', 8: 'SIGFPE', 9: 'SIGKILL',
           11: 'SIGSEGV', 13: 'SIGPIPE', 15: 'SIGTERM'}
monotonic = getattr(time, 'monotonic', None) or (lambda: os.times()[4])  # Python 2.7: times(2), in ticks
AGAIN = (errno.EAGAIN, errno.EINPROGRESS, errno.EINTR)


class _ScanContext(object):
    strict, object_hook, object_pairs_hook, encoding = True, None, None, 'utf-8'
    parse_float, parse_int, parse_constant = float, int, float


def loads(data):
    text = data.decode('utf-8').strip()
    try:
        return _json.make_scanner(_ScanContext())(text, 0)[0]
    except Exception:  # the C scanner alone raises StopIteration, or SystemError on 3.11, for bad JSON
        raise ValueError('not JSON')


def dumps(v):
    if v is None or isinstance(v, bool):
        return {None: 'null', True: 'true', False: 'false'}[v]
    if isinstance(v, float):
        return repr(round(v, 3))
    if isinstance(v, dict):
        return '{' + ','.join(dumps(k) + ':' + dumps(x) for k, x in sorted(v.items())) + '}'
    if isinstance(v, (list, tuple)):
        return '[' + ','.join(dumps(x) for x in v) + ']'
    return str(v) if isinstance(v, int) or type(v).__name__ == 'long' else _json.encode_basestring_ascii(v)


def ascii_text(data):
    return ''.join(c if ' ' <= c <= '~' or c == '\n' else '' if c == '\r' else '?'
                   for c in data.decode('utf-8', 'replace'))


def write_atomic(path, text, mode, sync):
    tmp = os.path.join(os.path.dirname(path), '.%s.%d.tmp' % (os.path.basename(path), os.getpid()))
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        os.fchmod(fd, mode)
        os.write(fd, text.encode('utf-8'))
        if sync:
            os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, path)


def read_text(path):
    try:
        with open(path, 'rb') as f:
            return f.read().decode('utf-8', 'replace')
    except (IOError, OSError):
        return None


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


def log_status(xml, name):
    """The last `exited:`/`stopped:` words supervisord's main log holds for process `name`, or None."""
    at = max(xml.rfind('exited: %s (' % name), xml.rfind('stopped: %s (' % name))
    if at < 0:
        return None
    words = xml[xml.index('(', at) + 1:].split('\n', 1)[0].rsplit(')', 1)[0]
    return words.split('; ')[0]


def xml_structs(xml):
    """getAllProcessInfo's structs, parsed just enough: [{member: text or int}]."""
    structs = []
    for chunk in xml.split('<struct>')[1:]:
        item = {}
        for member in chunk.split('<name>')[1:]:
            key, rest = member.split('</name>', 1)
            value = rest.split('<value>', 1)[1].split('</value>', 1)[0]
            kind = value[1:value.find('>')] if value.startswith('<') else 'string'
            text = value.split('>', 1)[1].rsplit('<', 1)[0] if value.startswith('<') else value
            text = text.replace('&lt;', '<').replace('&gt;', '>').replace('&amp;', '&')
            item[key] = int(text) if kind in ('int', 'i4') else text
        structs.append(item)
    return structs


class Request(object):
    """One HTTP/1.0 exchange without blocking: connect, send, read to EOF; done(bytes) or done(None) on failure."""

    def __init__(self, agent, family, address, data, timeout, done):
        self.agent, self.data, self.done, self.chunks = agent, data, done, []
        self.sock = _socket.socket(family, _socket.SOCK_STREAM)
        self.sock.setblocking(False)
        self.fd = self.sock.fileno()
        agent.timers[('request', self.fd)] = (monotonic() + timeout, lambda: self.finish(False))
        agent.watch(self.fd, select.POLLOUT | select.POLLIN, self.ready)
        try:
            self.sock.connect(address)
        except (OSError, IOError, _socket.error) as e:
            if e.errno not in AGAIN:
                self.finish(False)

    def ready(self, events):
        try:
            if self.data is not None:
                sent = self.sock.send(self.data)
                self.data = self.data[sent:] or None
                if self.data is None:
                    self.agent.poller.modify(self.fd, select.POLLIN)
            elif events & (select.POLLIN | select.POLLHUP | select.POLLERR):
                chunk = self.sock.recv(65536)
                self.chunks.append(chunk)
                if not chunk:
                    self.finish(True)
        except (OSError, IOError, _socket.error) as e:
            if e.errno not in AGAIN:
                self.finish(False)

    def finish(self, ok):
        if self.sock is None:
            return
        self.agent.forget(self.fd)
        self.agent.timers.pop(('request', self.fd), None)
        self.sock.close()
        self.sock = None
        self.done(b''.join(self.chunks) if ok else None)


class Agent(object):
    def __init__(self, config):
        c = dict({'textfile_dir': None, 'state_dir': '/var/lib/kubesup-tui', 'run_dir': '/run/kubesup-tui',
                  'supervisor_socket': '/var/run/supervisor.sock', 'supervisor_auth': None, 'history': 20,
                  'kmsg': '/dev/kmsg', 'proc': '/proc', 'cgroup_root': '/sys/fs/cgroup'}, **config)
        self.c, self.programs = c, c.get('programs') or {}
        self.poller, self.handlers, self.timers = select.poll(), {}, {}
        self.procs, self.up, self.dirty, self.stdin = {}, True, False, b''
        self.killing = {}  # pid -> (reason, detail) of a hang we are ending
        # life: the current run of each program; pending: exits waiting for supervisord's words on them
        self.life, self.health, self.oom_pids, self.pending = {}, {}, set(), {}
        self.state_path = os.path.join(c['state_dir'], 'agent-state.json')
        try:  # unreadable: refused, as starting from nothing would lower the counters
            self.state = loads(open(self.state_path, 'rb').read()) if os.path.exists(self.state_path) else {}
        except ValueError as e:
            raise ValueError('%s: %s' % (self.state_path, e))
        self.state.setdefault('restarts', {})
        self.state.setdefault('history', [])
        try:
            self.kmsg = os.open(c['kmsg'], os.O_RDONLY | os.O_NONBLOCK)
            os.lseek(self.kmsg, 0, 2)  # only what the kernel says from now on
        except OSError:
            self.kmsg = None
        for name, program in self.programs.items():
            if program.get('alive_fifo', True):
                self.open_fifo(name)
            if program.get('watchdog_sec'):
                self.open_notify(name)
        self.watch(0, select.POLLIN, self.read_stdin)
        auth = c['supervisor_auth']
        self.auth = ''
        if auth:
            import binascii
            self.auth = 'Authorization: Basic %s\r\n' % binascii.b2a_base64(auth.encode()).decode().strip()
        self.rpc('supervisor.getAllProcessInfo', '', self.got_all_info)

    def watch(self, fd, events, handler):
        self.handlers[fd] = handler
        self.poller.register(fd, events)

    def forget(self, fd):
        self.handlers.pop(fd, None)
        self.poller.unregister(fd)

    def run_dir(self, kind, name):
        folder = os.path.join(self.c['run_dir'], kind)
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o700)
        os.chmod(folder, 0o700)
        return os.path.join(folder, name)

    def open_fifo(self, name):
        path = self.run_dir('alive', name)
        try:
            mode = os.lstat(path).st_mode & 0o170000
        except OSError:
            mode = None
        if mode not in (None, 0o010000):  # not a FIFO: replaced
            os.unlink(path)
        if mode != 0o010000:
            os.mkfifo(path, 0o600)
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        self.watch(fd, select.POLLIN, lambda events: self.fifo_event(name, fd, events))

    def fifo_event(self, name, fd, events):
        if events & select.POLLIN and not events & select.POLLHUP:
            os.read(fd, 4096)  # nobody should write; drained so that it cannot spin
            return
        self.forget(fd)  # the last writer, the daemon, is gone: re-open to see the next one's end
        os.close(fd)
        self.open_fifo(name)
        self.wake(name, 0)

    def wake(self, name, tries):
        """Wake supervisord's loop once the dead daemon is a zombie: a request on its socket makes it reap in that
        pass and spawn in the next (woken by the request's own bytes). The files close before the process is a
        zombie, so wait for that (2 ms steps, 50 ms at most); a second request 20 ms later covers a late reap."""
        life = self.life.get(name, {})
        stat = life.get('pid') and read_text('%s/%d/stat' % (self.c['proc'], life['pid']))
        fields = stat and stat.rsplit(')', 1)[-1].split()
        if fields and fields[0] != 'Z' and tries < 25:
            self.timers[('wake', name)] = (monotonic() + 0.002, lambda: self.wake(name, tries + 1))
            return
        if fields and len(fields) > 49:  # the zombie's wait status, if we read it before supervisord reaps it
            life['wstatus'] = int(fields[49])
        poke = lambda: self.rpc('supervisor.getAPIVersion', '', lambda reply: None)  # noqa: E731
        poke()
        self.timers[('wake', name)] = (monotonic() + 0.02, poke)

    def open_notify(self, name):
        path = self.run_dir('notify', name)
        if os.path.lexists(path):
            os.unlink(path)
        sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_DGRAM)
        sock.bind(path)
        sock.setblocking(False)
        self.programs[name]['_sock'] = sock
        self.watch(sock.fileno(), select.POLLIN, lambda events: self.notify_event(name, sock))

    def notify_event(self, name, sock):
        while True:
            try:
                data = sock.recv(4096)
            except (OSError, IOError, _socket.error):
                return
            life = self.life.get(name)
            for line in data.decode('utf-8', 'replace').split('\n'):
                key, _, value = line.partition('=')
                if life is None or not life.get('running'):
                    continue
                if (key, value) == ('WATCHDOG', '1'):
                    life['ping'] = monotonic()
                    self.arm_watchdog(name)
                elif (key, value) == ('WATCHDOG', 'trigger'):
                    self.hang(name, 'hung_watchdog', 'watchdog: the daemon sent WATCHDOG=trigger', SIGABRT)
                elif key == 'WATCHDOG_USEC' and value.isdigit():
                    life['wd'], life['ping'] = int(value) / 1e6, monotonic()
                    self.arm_watchdog(name)
                    self.dirty = True
                elif (key, value) == ('STOPPING', '1'):  # as systemd: a stopping daemon is not watched any more
                    self.timers.pop(('watchdog', name), None)
                elif (key, value) == ('READY', '1'):
                    life['ready'] = time.time()

    def arm_watchdog(self, name):
        life = self.life[name]
        if life.get('wd'):
            self.timers[('watchdog', name)] = (life['ping'] + life['wd'], lambda: self.hang(
                name, 'hung_watchdog', 'watchdog: no WATCHDOG=1 for %gs (pid %d)' % (life['wd'], life['pid']),
                SIGABRT))

    def hang(self, name, reason, detail, first_signal):
        pid = self.life[name].get('pid')
        if not pid or pid in self.killing:
            return
        self.timers.pop(('watchdog', name), None)
        self.timers.pop(('probe', name), None)
        self.killing[pid] = (reason, detail)
        log('%s: %s; signal %d, SIGKILL in %ss if alive' % (name, detail, first_signal, self.grace(name)))
        kill(pid, first_signal)
        self.timers[('kill', pid)] = (monotonic() + self.grace(name), lambda: kill(pid, SIGKILL))

    def grace(self, name):
        return self.programs[name].get('kill_grace', 10)

    def probe(self, name):
        life, healthz = self.life[name], self.programs[name]['healthz']
        hostport, _, path = healthz['url'][len('http://'):].partition('/')
        host, _, port = hostport.partition(':')
        request = 'GET /%s HTTP/1.0\r\nHost: %s\r\n\r\n' % (path, hostport)
        address = ('127.0.0.1' if host == 'localhost' else host, int(port or 80))
        self.timers[('probe', name)] = (monotonic() + healthz.get('interval', 10), lambda: self.probe(name))
        Request(self, _socket.AF_INET, address, request.encode(), healthz.get('timeout', 10),
                lambda reply: self.probed(name, life, reply))

    def probed(self, name, life, reply):
        if self.life.get(name) is not life or not life.get('running'):
            return
        healthz = self.programs[name]['healthz']
        status = reply and reply.split(b'\r\n', 1)[0].split(b' ')
        ok = bool(status and len(status) > 1 and status[1] == b'200')
        answer = ascii_text(reply.replace(b'\r\n', b' ')[:120]) if reply else 'no answer (refused or timed out)'
        life['fails'] = 0 if ok else life['fails'] + 1
        if self.health.get(name) != int(ok):
            self.health[name], self.dirty = int(ok), True
        if life['fails'] >= healthz.get('failures', 6) and monotonic() - life['start'] >= healthz.get('grace', 120):
            self.hang(name, 'hung_healthz', 'healthz: %d failures in a row, last: %s' % (life['fails'], answer),
                      SIGTERM)

    def rpc(self, method, params, done):
        body = ("<?xml version='1.0'?><methodCall><methodName>%s</methodName><params>%s</params></methodCall>"
                % (method, params))
        data = 'POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\n%sContent-Length: %d\r\n\r\n%s'
        Request(self, _socket.AF_UNIX, self.c['supervisor_socket'], (data % (self.auth, len(body), body)).encode(),
                5, lambda reply: done(reply and ascii_text(reply)))

    def got_all_info(self, reply):
        if not reply or not reply.startswith('HTTP/1.0 200') or '<fault>' in reply:
            words = reply and (reply.split('\n', 1)[0] if '<fault>' not in reply else reply[reply.find('<fault>'):])
            log('supervisor.getAllProcessInfo failed: %s' % (words or 'no answer')[:200])
            reply = None
        for info in xml_structs(reply or ''):
            key = '%s:%s' % (info['group'], info['name'])
            if key not in self.procs:  # an event already told us newer
                self.procs[key] = p = dict((k, info[k]) for k in ('name', 'group', 'state', 'pid', 'start'))
                p['exitstatus'] = info['exitstatus']
                if p['state'] == 20:
                    self.running(p['name'], p['pid'], monotonic() - max(0, info['now'] - info['start']))
        self.dirty = True

    def read_stdin(self, events):
        chunk = os.read(0, 65536)
        if not chunk:
            raise SystemExit('stdin closed: supervisord is gone')
        self.stdin += chunk
        while b'\n' in self.stdin:
            header, rest = self.stdin.split(b'\n', 1)
            fields = dict(f.split(':', 1) for f in header.decode('utf-8', 'replace').split())
            size = int(fields['len'])
            if len(rest) < size:
                return
            payload, self.stdin = rest[:size], rest[size:]
            try:
                self.on_event(fields.get('eventname', ''), payload.decode('utf-8', 'replace'))
            except Exception as e:  # one odd event must not stop the listener: supervisord waits for our answer
                log('cannot handle %s: %r' % (header, e))
            os.write(1, b'RESULT 2\nOKREADY\n')

    def on_event(self, event, payload):
        if event.startswith('SUPERVISOR_STATE_CHANGE_'):
            self.up, self.dirty = event.endswith('RUNNING'), True
        elif event.startswith('PROCESS_STATE_'):
            f = dict(x.split(':', 1) for x in payload.split('\n', 1)[0].split())
            self.transition(f['groupname'], f['processname'], STATES[event[14:]], STATES.get(f.get('from_state')),
                            int(f.get('pid', 0)))

    def transition(self, group, name, state, before, pid):
        p = self.procs.setdefault('%s:%s' % (group, name), {'name': name, 'group': group, 'start': 0,
                                                          'exitstatus': 0, 'pid': 0})
        p['state'], self.dirty = state, True
        if state == 10:
            p.update(start=int(time.time()), pid=0, stopping=False)
            self.life[name] = {'start': monotonic(), 'fails': 0}
        elif state == 20:
            p['pid'] = pid
            self.running(name, pid, self.life.get(name, {}).get('start', monotonic()))
        elif state == 40:
            p['stopping'] = True
        if state not in (10, 20):
            self.timers.pop(('watchdog', name), None)
            self.timers.pop(('probe', name), None)
            self.life.get(name, {})['running'] = False
        if name == os.environ.get('SUPERVISOR_PROCESS_NAME'):
            return  # our own ends are seen by the next agent's startup, not counted as the node's
        if (state in (30, 100) and before in (10, 20)) or (state == 0 and before == 40):
            self.exited(p, pid or p['pid'])

    def running(self, name, pid, started):
        life = self.life[name] = dict(self.life.get(name, {}), start=started, fails=0, pid=pid, running=True)
        life['oom_file'] = oom_counter_file(self.c['proc'], self.c['cgroup_root'], pid)
        life['oom'] = oom_kills(life['oom_file'])
        program = self.programs.get(name) or {}
        life['wd'], life['ping'] = program.get('watchdog_sec'), monotonic()  # the watchdog runs from the start
        self.arm_watchdog(name)
        if program.get('healthz'):
            self.timers[('probe', name)] = (monotonic() + program['healthz'].get('interval', 10),
                                            lambda: self.probe(name))

    def exited(self, p, pid):
        name = p['name']
        life = self.life.get(name) or {}
        hung = self.killing.pop(pid, None)
        self.timers.pop(('kill', pid), None)
        self.oom_pids |= kmsg_killed_pids(self.kmsg)
        oom = None
        if pid in self.oom_pids:
            self.oom_pids.discard(pid)
            oom = 'the kernel: Killed process %d' % pid
        elif life.get('oom') is not None and (oom_kills(life['oom_file']) or 0) > life['oom']:
            oom = 'oom_kill count of %s went up' % life['oom_file']
        if name in self.health:
            self.health[name] = 0
        record = {'time': round(time.time(), 3), 'program': name, 'group': p['group'], 'pid': pid or None}
        operator, key, wstatus = p.get('stopping'), object(), life.get('wstatus')

        def finish(status):  # once: with supervisord's words from its log, else the zombie's, else none
            if self.pending.pop(key, None):
                self.record_exit(p, record, exit_reason(operator, hung, oom, status or wait_words(wstatus)))
        self.pending[key] = finish
        self.read_log(name, 4096, finish)

    def read_log(self, name, size, done):
        """supervisord's last words on `name` in the last `size` bytes of its main log. 4.x answers HTTP 500 when
        the start splits a UTF-8 character: one byte less, up to three times."""
        def got(reply):
            if reply and reply.startswith('HTTP/1.0 500') and size > 4093:
                return self.read_log(name, size - 1, done)
            done(reply and log_status(reply, name))
        self.rpc('supervisor.readLog', '<param><value><int>-%d</int></value></param>'
                 '<param><value><int>0</int></value></param>' % size, got)

    def record_exit(self, p, record, reason_detail):
        record['reason'], record['detail'] = reason_detail
        words = record['detail']
        record['exit'] = int(words.split('exit status ')[1].split()[0].strip(')')) if 'exit status ' in words else None
        record['signal'] = words.split('terminated by ')[1].split()[0].strip(')') if 'terminated by ' in words else None
        p['exitstatus'] = record['exit'] if record['exit'] is not None else -1
        counts = self.state['restarts'].setdefault(p['name'], {})
        counts[record['reason']] = counts.get(record['reason'], 0) + 1
        self.state['history'].append(record)
        del self.state['history'][:-int(self.c['history'])]
        self.save()
        self.dirty = True

    def save(self):
        folder = self.c['state_dir']
        if not os.path.isdir(folder):
            os.makedirs(folder, 0o755)
        write_atomic(self.state_path, dumps(self.state) + '\n', 0o644, True)
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)  # the rename itself survives a power cut: counters never go down
        finally:
            os.close(fd)

    def metrics(self):
        out = []

        def family(metric, kind, text, samples):
            if samples:
                out.append('# HELP %s %s\n# TYPE %s %s\n' % (metric, text, metric, kind))
            for labels, value in samples:
                pairs = ','.join('%s="%s"' % (k, v.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n'))
                                 for k, v in labels)
                out.append('%s%s %s\n' % (metric, '{%s}' % pairs if pairs else '', value))
        procs = sorted(self.procs.values(), key=lambda p: (p['group'], p['name']))
        family('node_supervisord_up', 'gauge', 'Whether supervisord is up, as its event listener kubesup-agent '
               'sees it.', [((), int(self.up))])
        for metric, key, text in (
                ('node_supervisord_state', 'state', 'The process state code in supervisord (0 STOPPED, 10 STARTING, '
                 '20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).'),
                ('node_supervisord_exit_status', 'exitstatus', 'The last exit status of the process (-1: a signal).'),
                ('node_supervisord_start_time_seconds', 'start', 'When the process last started, in seconds since '
                 'the epoch.')):
            family(metric, 'gauge', text, [((('name', p['name']), ('group', p['group'])), p[key]) for p in procs])
        restarts = self.state['restarts']
        family('kubesup_program_restarts_total', 'counter', 'Ends of a supervised process by reason; never lowered, '
               'kept across restarts of supervisord and reboots.',
               [((('name', name), ('reason', reason)), restarts.get(name, {}).get(reason, 0))
                for name in sorted(set(restarts) | set(self.programs))
                for reason in REASONS if name in self.programs or reason in restarts[name]])
        family('kubesup_healthz_up', 'gauge', 'Whether the last health probe of the program passed.',
               [((('name', n),), self.health.get(n, 0)) for n, p in sorted(self.programs.items()) if p.get('healthz')])
        family('kubesup_migrated_info', 'gauge', 'A systemd unit kubesup-tui moved under supervisord, and its program.',
               [((('unit', p['unit']), ('program', n)), 1) for n, p in sorted(self.programs.items()) if p.get('unit')])
        family('kubesup_watchdog_timeout_seconds', 'gauge', 'The sd_notify watchdog timeout of the program.',
               [((('name', n),), self.life.get(n, {}).get('wd') or p['watchdog_sec'])
                for n, p in sorted(self.programs.items()) if p.get('watchdog_sec')])
        return ''.join(out)

    def flush(self):
        self.dirty = False
        if self.c['textfile_dir']:
            try:
                write_atomic(os.path.join(self.c['textfile_dir'], 'kubesup.prom'), self.metrics(), 0o644, False)
            except (IOError, OSError) as e:
                log('cannot write the metrics: %s' % e)

    def run(self):
        os.write(1, b'READY\n')
        while True:
            if self.dirty:
                self.flush()
            due = [d for d, _ in self.timers.values()]  # nothing due: sleep until a descriptor speaks
            timeout = max(0, int((min(due) - monotonic()) * 1000) + 1) if due else None
            try:
                ready = self.poller.poll(timeout)
            except (select.error, OSError) as e:
                if (getattr(e, 'errno', None) or e.args[0]) == errno.EINTR:
                    continue
                raise
            for fd, events in ready:
                if fd in self.handlers:
                    self.handlers[fd](events)
            now = monotonic()
            for key, (due, fire) in list(self.timers.items()):
                if due <= now and self.timers.get(key, (0,))[0] == due:
                    del self.timers[key]
                    fire()


def kill(pid, signal):
    try:
        os.kill(pid, signal)
    except OSError:
        pass  # gone already: its exit event tells the rest


def log(message):
    try:
        os.write(2, ('kubesup-agent: %s\n' % message).encode('utf-8', 'replace'))
    except OSError:
        pass  # stderr is supervisord's pipe: gone with it


def stop(signal, frame):
    raise SystemExit('signal %d' % signal)


def main(argv):
    if len(argv) != 3 or argv[1] != '--config':
        log('usage: kubesup-agent.py --config FILE')
        return 2
    try:
        config = loads(open(argv[2], 'rb').read())
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

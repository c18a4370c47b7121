"""The agent: supervisord's events in, exits counted and kept, metrics out; one poll loop and its timers."""
import errno
import os
import select
import time

from .common import STATES, dumps, loads, log, monotonic, write_atomic
from .exits import exit_reason, kmsg_killed_pids, oom_counter_file, oom_kills, wait_words
from .metrics import metrics
from .supervisor import SupervisorClient
from .watch import Watcher


class Agent(Watcher, SupervisorClient):
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
        self.early = {}  # READY=1 heard before its run was RUNNING to us: (time, sender) per program
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
            if program.get('watchdog_sec') or program.get('notify'):
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
        notify = (self.programs.get(name) or {}).get('notify')
        if state == 10:
            p.update(start=int(time.time()), pid=0, stopping=False)
            self.life[name] = {'start': monotonic(), 'fails': 0}
        elif state == 20:
            p['pid'] = pid
            self.running(name, pid, self.life.get(name, {}).get('start', monotonic()), before == 10)
        elif state == 40:
            p['stopping'] = True
        if notify and state != 20:
            from . import ready
            ready.not_ready(self, name)
        if state not in (10, 20):
            self.timers.pop(('watchdog', name), None)
            self.timers.pop(('probe', name), None)
            self.life.get(name, {})['running'] = False
        if name == os.environ.get('SUPERVISOR_PROCESS_NAME'):
            return  # our own ends are seen by the next agent's startup, not counted as the node's
        if (state in (30, 100) and before in (10, 20)) or (state == 0 and before == 40):
            self.exited(p, pid or p['pid'])

    def running(self, name, pid, started, seen_start=False):
        life = self.life[name] = dict(self.life.get(name, {}), start=started, fails=0, pid=pid, running=True)
        life['oom_file'] = oom_counter_file(self.c['proc'], self.c['cgroup_root'], pid)
        life['oom'] = oom_kills(life['oom_file'])
        program = self.programs.get(name) or {}
        life['wd'], life['ping'] = program.get('watchdog_sec'), monotonic()  # the watchdog runs from the start
        self.arm_watchdog(name)
        if program.get('notify'):
            from . import ready
            ready.running(self, name, seen_start)
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

    def flush(self):
        self.dirty = False
        folder = self.c['textfile_dir']
        if folder:
            try:
                if not os.path.isdir(folder):  # the distribution's folder, before node_exporter is installed
                    os.makedirs(folder, 0o755)
                write_atomic(os.path.join(folder, 'kubesup.prom'), metrics(self), 0o644, False)
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

"""The daemons' ends and hangs: the respawn FIFO (wakes supervisord the moment a daemon dies), sd_notify (READY=1
and the watchdog), and the healthz probe; a hung daemon gets a signal, then SIGKILL."""
import os
import select
import sys
import _socket

from .common import SIGABRT, SIGKILL, SIGTERM, ascii_text, kill, log, monotonic, read_text
from .supervisor import Request

# The sender's pid with each message (SCM_CREDENTIALS): Python 3 only; 2.7's socket has no recvmsg.
PASSCRED = getattr(_socket, 'SO_PASSCRED', None) if hasattr(_socket.socket, 'recvmsg') else None


class Watcher(object):
    """Each program's respawn FIFO, watchdog and healthz probe, on the agent's poll loop and timers."""

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
        if PASSCRED:
            sock.setsockopt(_socket.SOL_SOCKET, PASSCRED, 1)
        self.programs[name]['_sock'] = sock
        self.watch(sock.fileno(), select.POLLIN, lambda events: self.notify_event(name, sock))

    def notify_event(self, name, sock):
        """Every datagram waiting: any sender, any bytes (fds passed along are dropped by the kernel, unread)."""
        while True:
            sender = None
            try:
                if PASSCRED:
                    data, extra, _, _ = sock.recvmsg(4096, _socket.CMSG_SPACE(12))
                    for level, kind, cred in extra:
                        if (level, kind) == (_socket.SOL_SOCKET, _socket.SCM_CREDENTIALS) and len(cred) >= 4:
                            sender = int.from_bytes(cred[:4], sys.byteorder)
                else:
                    data = sock.recv(4096)
            except (OSError, IOError, _socket.error):
                return
            life = self.life.get(name) or {}
            if sender and life.get('running') and sender != life['pid'] and self.main_only(name):
                continue  # NotifyAccess=main, as systemd: another process of it (a child) does not speak for it
            for line in data.decode('utf-8', 'replace').split('\n'):
                key, _, value = line.partition('=')
                if (key, value) == ('READY', '1') and self.programs[name].get('notify'):
                    from . import ready  # compiled only where a Type=notify unit is moved
                    ready.heard(self, name, sender)
                if not life.get('running'):
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

    def main_only(self, name):
        return self.programs[name].get('notify_access', 'all') == 'main'

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

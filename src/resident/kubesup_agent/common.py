"""What every part of the agent shares: supervisord's state codes, the exit reasons, JSON without the json
package (its C scanner only), files written whole, and the agent's log and kill."""
import errno
import os
import time
import _json
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

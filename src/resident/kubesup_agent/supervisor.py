"""supervisord over its unix socket, and healthz over TCP: one HTTP/1.0 exchange at a time without blocking,
and the little of XML-RPC the agent reads."""
import select
import _socket

from .common import AGAIN, ascii_text, log, monotonic


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



class SupervisorClient(object):
    """supervisord's XML-RPC on its unix socket: the programs at start, and its main log's words on an exit."""

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

    def read_log(self, name, size, done):
        """supervisord's last words on `name` in the last `size` bytes of its main log. 4.x answers HTTP 500 when
        the start splits a UTF-8 character: one byte less, up to three times."""
        def got(reply):
            if reply and reply.startswith('HTTP/1.0 500') and size > 4093:
                return self.read_log(name, size - 1, done)
            done(reply and log_status(reply, name))
        self.rpc('supervisor.readLog', '<param><value><int>-%d</int></value></param>'
                 '<param><value><int>0</int></value></param>' % size, got)

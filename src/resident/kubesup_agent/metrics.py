"""The metrics node_exporter reads from `<textfile_dir>/kubesup.prom`."""
from .common import REASONS


def metrics(agent):
    """node_exporter's textfile: supervisord's processes as its own collector names them, and the agent's."""
    out = []

    def family(metric, kind, text, samples):
        if samples:
            out.append('# HELP %s %s\n# TYPE %s %s\n' % (metric, text, metric, kind))
        for labels, value in samples:
            pairs = ','.join('%s="%s"' % (k, v.replace('\\', '\\\\').replace('"', '\\"').replace('\n', '\\n'))
                             for k, v in labels)
            out.append('%s%s %s\n' % (metric, '{%s}' % pairs if pairs else '', value))
    procs = sorted(agent.procs.values(), key=lambda p: (p['group'], p['name']))
    family('node_supervisord_up', 'gauge', 'Whether supervisord is up, as its event listener kubesup-agent '
           'sees it.', [((), int(agent.up))])
    for metric, key, text in (
            ('node_supervisord_state', 'state', 'The process state code in supervisord (0 STOPPED, 10 STARTING, '
             '20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).'),
            ('node_supervisord_exit_status', 'exitstatus', 'The last exit status of the process (-1: a signal).'),
            ('node_supervisord_start_time_seconds', 'start', 'When the process last started, in seconds since '
             'the epoch.')):
        family(metric, 'gauge', text, [((('name', p['name']), ('group', p['group'])), p[key]) for p in procs])
    restarts = agent.state['restarts']
    family('kubesup_program_restarts_total', 'counter', 'Ends of a supervised process by reason; never lowered, '
           'kept across restarts of supervisord and reboots.',
           [((('name', name), ('reason', reason)), restarts.get(name, {}).get(reason, 0))
            for name in sorted(set(restarts) | set(agent.programs))
            for reason in REASONS if name in agent.programs or reason in restarts[name]])
    family('kubesup_healthz_up', 'gauge', 'Whether the last health probe of the program passed.',
           [((('name', n),), agent.health.get(n, 0)) for n, p in sorted(agent.programs.items()) if p.get('healthz')])
    family('kubesup_migrated_info', 'gauge', 'A systemd unit kubesup-tui moved under supervisord, and its program.',
           [((('unit', p['unit']), ('program', n)), 1) for n, p in sorted(agent.programs.items()) if p.get('unit')])
    family('kubesup_watchdog_timeout_seconds', 'gauge', 'The sd_notify watchdog timeout of the program.',
           [((('name', n),), agent.life.get(n, {}).get('wd') or p['watchdog_sec'])
            for n, p in sorted(agent.programs.items()) if p.get('watchdog_sec')])
    return ''.join(out)

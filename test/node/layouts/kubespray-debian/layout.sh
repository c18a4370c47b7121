# Debian node installed by kubespray: one unit file in /etc (no drop-in), one environment file with
# multi-line values, optional ExecStartPre steps; Debian's supervisor with a pip-style extra include pattern.
HOSTNAME_=node1
KUBELET_BIN=/usr/local/bin/kubelet
REMOVE=()
MKDIRS=(/var/log/supervisor /etc/supervisor/conf.d /etc/supervisor/extra)
ENABLE=(kubelet.service supervisor.service)

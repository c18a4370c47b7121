# The reference node: CentOS 7 installed by KubeKey, EPEL's supervisor already running one other program.
HOSTNAME_=node4
KUBELET_BIN=/usr/local/bin/kubelet
# Debian's supervisor files from this machine's own /etc and /usr, which an EL node does not have.
REMOVE=(/etc/supervisor /lib/systemd/system/supervisor.service /usr/lib/systemd/system/supervisor.service /etc/init.d/supervisor)
ENABLE=(kubelet.service supervisord.service)
MKDIRS=(/var/log/supervisor)

# Rocky Linux node installed from kubeadm's rpm packages, with no supervisor yet: the migration installs it
# with dnf (a stand-in that lays down EPEL's files, and starts nothing, as EL packages do).
HOSTNAME_=rocky1
KUBELET_BIN=/usr/bin/kubelet
STASH=(/usr/bin/supervisord /usr/bin/supervisorctl)
REMOVE=(/usr/bin/supervisord /usr/bin/supervisorctl /usr/bin/apt-get /etc/supervisor /lib/systemd/system/supervisor.service /usr/lib/systemd/system/supervisor.service /etc/init.d/supervisor)
MKDIRS=()
ENABLE=(kubelet.service)

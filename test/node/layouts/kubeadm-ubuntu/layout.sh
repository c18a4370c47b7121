# Ubuntu node installed from kubeadm's packages (pkgs.k8s.io layout), with Debian's supervisor.
HOSTNAME_=worker-ubuntu
KUBELET_BIN=/usr/bin/kubelet
REMOVE=()
MKDIRS=(/var/log/supervisor /etc/supervisor/conf.d)
ENABLE=(kubelet.service supervisor.service)

#!/bin/bash
# Runs as the first child of a test node's PID 1, inside its own mount, pid, network and uts namespaces.
# Overlays /etc, /usr and /var onto the node's folder (so that nothing reaches this machine's own files),
# gives it a fresh /run, installs the layout on first boot, then starts the enabled units like init does.
set -euo pipefail
node_dir=$1 layout_dir=$2 build_dir=$3 supervisor_dir=${4:-} hide_node=${5:-} unit_cgroups=${6:-}
here=$(cd "$(dirname "$0")" && pwd)

for d in etc usr var; do
  mkdir -p "$node_dir/upper/$d" "$node_dir/work/$d"
  mount -t overlay overlay -o "lowerdir=/$d,upperdir=$node_dir/upper/$d,workdir=$node_dir/work/$d" "/$d"
done
mount -t tmpfs -o mode=755 tmpfs /run
ip link set lo up
# Asked for: the systemctl stand-in keeps each unit's processes in a cgroup of this node's, as systemd does
# (test-node.ts removes them); else it knows them by their INVOCATION_ID.
if [ -n "$unit_cgroups" ]; then
  mkdir -p /run/kubesup-standin
  basename "$node_dir" > /run/kubesup-standin/cgroup-parent
fi

if [ ! -e "$node_dir/installed" ]; then
  # shellcheck source=/dev/null
  source "$layout_dir/layout.sh"
  # Files a layout removes but a stand-in installer puts back later (STASH, optional).
  for p in "${STASH[@]:-}"; do [ -n "$p" ] && install -D "$p" "/usr/local/share/kubesup-standin-stash$p"; done
  for p in "${REMOVE[@]}"; do rm -rf "$p"; done
  # This machine's own containerd and etcd packages (the real-daemon tests run their binaries) are not the
  # layout's: their units would make every node look like it runs them.
  rm -f /lib/systemd/system/containerd.service /lib/systemd/system/etcd.service /etc/systemd/system/etcd2.service
  for p in "${MKDIRS[@]}"; do mkdir -p "$p"; done
  cp -a "$layout_dir/files/." /
  install -D -m 0755 "$build_dir/kubelet" "$KUBELET_BIN"
  # containerd and etcd stand-ins (one program, named by how it is run): tests install them where they want.
  install -D -m 0755 "$build_dir/service-standin" /usr/local/libexec/kubesup-standin/service-standin
  # Another supervisord release (3.4.0, 4.3.0) from its upstream source, instead of Debian's.
  if [ -n "$supervisor_dir" ]; then
    install -m 0755 "$supervisor_dir/supervisord" /usr/bin/supervisord
    install -m 0755 "$supervisor_dir/supervisorctl" /usr/bin/supervisorctl
  fi
  install -D -m 0755 -t /usr/lib/systemctl-standin "$here"/systemctl-standin/*.mjs
  # The stand-in runs on a Node.js of its own when the node's is hidden (see below).
  printf '#!/bin/sh\nn=/run/kubesup-standin/node; [ -s "$n" ] || n=node\nexec "$n" /usr/lib/systemctl-standin/main.mjs "$@"\n' > /usr/bin/systemctl
  chmod 755 /usr/bin/systemctl
  echo "$HOSTNAME_" > /etc/hostname
  # The node enables only its layout's units, not what this machine happens to have enabled.
  rm -rf /etc/systemd/system/multi-user.target.wants
  mkdir -p /etc/systemd/system/multi-user.target.wants
  for u in "${ENABLE[@]}"; do systemctl enable --quiet "$u"; done
  touch "$node_dir/installed"
fi
hostname "$(cat /etc/hostname)"

# For the single-file build's tests: Node.js unusable in the node (a hidden need for it fails), while the
# stand-ins keep theirs at a path nothing else knows.
if [ -n "$hide_node" ]; then
  mkdir -p /run/kubesup-standin
  touch /run/kubesup-standin/node
  mount --bind "$(readlink -f /usr/bin/node)" /run/kubesup-standin/node
  mount --bind /bin/false /usr/bin/node
fi

# systemd-tmpfiles at boot: only the "d" lines the layouts need (EPEL's /run/supervisor).
for f in /usr/lib/tmpfiles.d/*.conf /etc/tmpfiles.d/*.conf; do
  [ -e "$f" ] || continue
  while read -r type p mode _; do
    [ "$type" = d ] && mkdir -p "$p" && chmod "$mode" "$p"
  done < <(grep -E '^d ' "$f" || true)
done

systemctl boot
date +%s.%N > "$node_dir/booted"

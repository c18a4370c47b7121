#!/bin/bash
# Lays a test node layout (test/node/layouts/NAME) into a Debian root before it boots under real systemd, as
# the installer would have left the node: its files, the kubelet stand-in, its units enabled the way the
# packages enable them (a link to where the unit file is), and nothing of the other layouts' supervisor.
set -euo pipefail
root=$1 layout_dir=$2 build_dir=$3

# shellcheck source=/dev/null
source "$layout_dir/layout.sh"
for p in "${REMOVE[@]}"; do rm -rf "${root:?}$p"; done
for p in "${MKDIRS[@]}"; do mkdir -p "$root$p"; done
cp -a "$layout_dir/files/." "$root/"
install -D -m 0755 "$build_dir/kubelet" "$root$KUBELET_BIN"
# containerd and etcd stand-ins (one program, named by how it is run): tests install them where they want.
install -D -m 0755 "$build_dir/service-standin" "$root/usr/local/libexec/kubesup-standin/service-standin"
echo "$HOSTNAME_" > "$root/etc/hostname"

wants="$root/etc/systemd/system/multi-user.target.wants"
mkdir -p "$wants"
# Links whose unit the layout removed (Debian's supervisor.service on an EL layout) go too.
for link in "$wants"/*; do
  [ -L "$link" ] || continue
  target=$(readlink "$link")
  [ -e "$root$target" ] || rm -f "$link"
done
for unit in "${ENABLE[@]}"; do
  [ -L "$wants/$unit" ] && continue
  for dir in /etc/systemd/system /usr/lib/systemd/system /lib/systemd/system; do
    if [ -f "$root$dir/$unit" ]; then
      ln -s "$dir/$unit" "$wants/$unit"
      break
    fi
  done
done

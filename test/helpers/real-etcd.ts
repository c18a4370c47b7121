/**
 * The real etcd in a test node, as KubeKey lays it out: Debian's etcd-server binary at /usr/local/bin/etcd,
 * KubeKey's unit, every setting an ETCD_* variable in /etc/etcd.env, serving https with client-certificate
 * authentication; its CA, member and admin certificates made by openssl at set-up, under /etc/ssl/etcd/ssl.
 */
import { KUBEKEY_ETCD } from '../fixtures/units/service-units.js';
import type { ExecResult, NodeShell } from './node-shell.js';
import { missingCommand } from './with-test-node.js';

const SSL = '/etc/ssl/etcd/ssl';

/** KubeKey's etcd unit, enabled at boot; LimitNOFILE= under this host's hard cap (40000 in KubeKey's). */
export const ETCD_UNIT = `${KUBEKEY_ETCD.replace('LimitNOFILE=40000', 'LimitNOFILE=16384')}
[Install]
WantedBy=multi-user.target
`;

/**
 * KubeKey's etcd.env for a one-member cluster on `name`, on the loopback (the node's own network). Its
 * election timeout and heartbeat are etcd's defaults, not KubeKey's 5000/250 ms: a restarted member elects
 * itself in about a second instead of five.
 */
export const etcdEnv = (name: string) => `# Environment file for etcd v3.4.23
ETCD_DATA_DIR=/var/lib/etcd
ETCD_ADVERTISE_CLIENT_URLS=https://127.0.0.1:2379
ETCD_INITIAL_ADVERTISE_PEER_URLS=https://127.0.0.1:2380
ETCD_INITIAL_CLUSTER_STATE=new
ETCD_METRICS=basic
ETCD_LISTEN_CLIENT_URLS=https://127.0.0.1:2379
ETCD_INITIAL_CLUSTER_TOKEN=k8s_etcd
ETCD_LISTEN_PEER_URLS=https://127.0.0.1:2380
ETCD_NAME=etcd-${name}
ETCD_PROXY=off
ETCD_ENABLE_V2=true
ETCD_INITIAL_CLUSTER=etcd-${name}=https://127.0.0.1:2380
ETCD_AUTO_COMPACTION_RETENTION=8
ETCD_SNAPSHOT_COUNT=10000

# TLS settings
ETCD_TRUSTED_CA_FILE=${SSL}/ca.pem
ETCD_CERT_FILE=${SSL}/member-${name}.pem
ETCD_KEY_FILE=${SSL}/member-${name}-key.pem
ETCD_CLIENT_CERT_AUTH=true

ETCD_PEER_TRUSTED_CA_FILE=${SSL}/ca.pem
ETCD_PEER_CERT_FILE=${SSL}/member-${name}.pem
ETCD_PEER_KEY_FILE=${SSL}/member-${name}-key.pem
ETCD_PEER_CLIENT_CERT_AUTH=True
`;

/** Why the real etcd cannot run here (what to install), or undefined. */
export function missingRealEtcd(): string | undefined {
  return missingCommand([
    ['etcd', 'etcd-server'],
    ['etcdctl', 'etcd-client'],
    ['openssl', 'openssl'],
  ]);
}

/** What etcd and its set-up need on a node (copied into a real-systemd node's root): openssl with its config. */
export const ETCD_COMMANDS = ['etcd', 'etcdctl', 'openssl', '/usr/lib/ssl/openssl.cnf'] as const;

/** A CA, and a member and an admin certificate (both server and client) for 127.0.0.1, as KubeKey names them. */
const makeCertificates = (name: string) => `
  mkdir -p ${SSL} && cd ${SSL}
  key='-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes'
  openssl req -x509 $key -keyout ca-key.pem -out ca.pem -subj /CN=etcd-ca -days 2 2>/dev/null
  for who in member-${name} admin-${name}; do
    openssl req $key -keyout $who-key.pem -out $who.csr -subj /CN=$who 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\nextendedKeyUsage=serverAuth,clientAuth\\n' > $who.ext
    openssl x509 -req -in $who.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 -extfile $who.ext \\
      -out $who.pem 2>/dev/null
    rm $who.csr $who.ext
  done`;

/** Lays etcd out on the node named `name` under its unit in `unitDir` and starts it through systemctl. */
export async function layOutEtcd(node: NodeShell, name: string, unitDir: string): Promise<void> {
  await node.sh(`
    set -e
    ${makeCertificates(name)}
    cat > /etc/etcd.env <<'EOF'
${etcdEnv(name)}EOF
    mkdir -p ${unitDir}
    cat > ${unitDir}/etcd.service <<'EOF'
${ETCD_UNIT}EOF
    ln -sf /usr/bin/etcd /usr/local/bin/etcd
    systemctl daemon-reload
    systemctl enable --quiet etcd.service
    systemctl start etcd.service`);
  await etcdHealthy(node, name);
}

/** etcdctl (API v3) against the member with the admin's client certificate, as a shell line. */
const etcdctlLine = (name: string) =>
  `ETCDCTL_API=3 etcdctl --endpoints=https://127.0.0.1:2379 --cacert=${SSL}/ca.pem ` +
  `--cert=${SSL}/admin-${name}.pem --key=${SSL}/admin-${name}-key.pem`;

/** Waits until the member answers etcdctl's health check (a restarted member first elects itself). */
export const etcdHealthy = (node: NodeShell, name: string, timeoutMs = 30_000) =>
  node.waitFor(`${etcdctlLine(name)} endpoint health`, timeoutMs);

/** etcdctl with the admin's client certificate; `args` are passed to it unquoted (keep them plain words). */
export const etcdctl = (node: NodeShell, name: string, args: string): Promise<ExecResult> =>
  node.exec(['bash', '-c', `${etcdctlLine(name)} ${args}`]);

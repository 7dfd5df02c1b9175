import { join } from 'node:path';
import { stringify } from 'yaml';
import { NETWORK, NODE_NAME } from './layout.js';
import { CNI_BIN_DIR } from './prerequisites.js';

/** Files and ports of one cluster run; everything lives under `runDir`. */
export interface NodeLayout {
  runDir: string;
  containerdSocket: string;
  /** What containerd's runc shim runs instead of runc (see scripts/runc-wrapper.sh). */
  runtimeBinary: string;
  cniConfDir: string;
  kubeconfigPath: string;
  caCertPath: string;
  cgroupRoot: string;
  pauseImage: string;
  ports: {
    kubelet: number;
    kubeletHealthz: number;
    proxyHealthz: number;
    proxyMetrics: number;
    dnsHealth: number;
    dnsReady: number;
  };
}

/**
 * containerd 1.6 (config version 2): its own root, state and socket under the run directory,
 * the CRI plugin with our pause image, the bridge CNI config, and runc behind the wrapper
 * that drops `oomScoreAdj` (see scripts/runc-wrapper.sh).
 */
export function containerdConfig(layout: NodeLayout): string {
  const cri = 'plugins."io.containerd.grpc.v1.cri"';
  return [
    'version = 2',
    `root = "${join(layout.runDir, 'containerd', 'root')}"`,
    `state = "${join(layout.runDir, 'containerd', 'state')}"`,
    '',
    '[grpc]',
    `  address = "${layout.containerdSocket}"`,
    '[ttrpc]',
    `  address = "${layout.containerdSocket}.ttrpc"`,
    '[metrics]',
    '  address = ""',
    '[debug]',
    '  level = "warn"',
    '',
    `[${cri}]`,
    `  sandbox_image = "${layout.pauseImage}"`,
    '  enable_selinux = false',
    '  disable_apparmor = true',
    `[${cri}.containerd]`,
    '  default_runtime_name = "runc"',
    '  snapshotter = "overlayfs"',
    `[${cri}.containerd.runtimes.runc]`,
    '  runtime_type = "io.containerd.runc.v2"',
    `[${cri}.containerd.runtimes.runc.options]`,
    `  BinaryName = "${layout.runtimeBinary}"`,
    '  SystemdCgroup = false',
    `[${cri}.cni]`,
    `  bin_dir = "${CNI_BIN_DIR}"`,
    `  conf_dir = "${layout.cniConfDir}"`,
    '  max_conf_num = 1',
    '',
    '[plugins."io.containerd.internal.v1.opt"]',
    `  path = "${join(layout.runDir, 'containerd', 'opt')}"`,
    '',
  ].join('\n');
}

/** One bridge, host-local addresses from the pod CIDR (reservations kept in the run directory). */
export function cniConfig(layout: NodeLayout): string {
  return `${JSON.stringify(
    {
      cniVersion: '1.0.0',
      name: 'agent-registry',
      plugins: [
        {
          type: 'bridge',
          bridge: NETWORK.bridge,
          isGateway: true,
          ipMasq: false,
          // A pod reaching itself through its Service goes out and back in the same bridge port.
          hairpinMode: true,
          ipam: {
            type: 'host-local',
            ranges: [[{ subnet: NETWORK.podCidr, gateway: NETWORK.nodeIp }]],
            routes: [{ dst: '0.0.0.0/0' }],
            dataDir: join(layout.runDir, 'cni', 'ipam'),
          },
        },
      ],
    },
    null,
    2,
  )}\n`;
}

/**
 * The kubelet: cgroupfs under a cgroup root of its own (teardown kills and removes exactly that),
 * cgroup v1 allowed (these machines have the hybrid layout), serving on the bridge address only,
 * CoreDNS on the bridge address as cluster DNS, and no eviction from a busy shared disk.
 */
export function kubeletConfig(layout: NodeLayout): string {
  return stringify({
    apiVersion: 'kubelet.config.k8s.io/v1beta1',
    kind: 'KubeletConfiguration',
    address: NETWORK.nodeIp,
    port: layout.ports.kubelet,
    readOnlyPort: 0,
    healthzBindAddress: '127.0.0.1',
    healthzPort: layout.ports.kubeletHealthz,
    containerRuntimeEndpoint: `unix://${layout.containerdSocket}`,
    cgroupDriver: 'cgroupfs',
    cgroupRoot: `/${layout.cgroupRoot}`,
    failCgroupV1: false,
    failSwapOn: false,
    authentication: {
      // kube-apiserver calls the kubelet for logs and exec without a client certificate; only
      // the bridge and loopback reach it.
      anonymous: { enabled: true },
      webhook: { enabled: false },
      x509: { clientCAFile: layout.caCertPath },
    },
    authorization: { mode: 'AlwaysAllow' },
    clusterDNS: [NETWORK.nodeIp],
    clusterDomain: NETWORK.clusterDomain,
    resolvConf: join(layout.runDir, 'resolv.conf'),
    evictionHard: { 'memory.available': '100Mi', 'nodefs.available': '1%', 'imagefs.available': '1%' },
    imageGCHighThresholdPercent: 100,
    imageGCLowThresholdPercent: 99,
    serializeImagePulls: false,
    rotateCertificates: false,
    serverTLSBootstrap: false,
    staticPodPath: '',
    nodeStatusUpdateFrequency: '4s',
    syncFrequency: '10s',
    fileCheckFrequency: '10s',
    podPidsLimit: -1,
    // No KUBE-FIREWALL / canary chains of the kubelet's own: kube-proxy's are the only ones, and its --cleanup removes them.
    makeIPTablesUtilChains: false,
  });
}

/** kube-proxy in iptables mode; every Service connection is masqueraded so replies come back through the host. */
export function kubeProxyConfig(layout: NodeLayout): string {
  return stringify({
    apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
    kind: 'KubeProxyConfiguration',
    mode: 'iptables',
    clientConnection: { kubeconfig: layout.kubeconfigPath },
    hostnameOverride: NODE_NAME,
    clusterCIDR: NETWORK.podCidr,
    healthzBindAddress: `127.0.0.1:${layout.ports.proxyHealthz}`,
    metricsBindAddress: `127.0.0.1:${layout.ports.proxyMetrics}`,
    nodePortAddresses: [`${NETWORK.nodeIp}/32`],
    iptables: { masqueradeAll: true, syncPeriod: '10s', minSyncPeriod: '0s' },
    // Leave the machine's conntrack sysctls alone.
    conntrack: { maxPerCore: 0, min: 0, tcpEstablishedTimeout: '0s', tcpCloseWaitTimeout: '0s' },
  });
}

/** CoreDNS on the bridge address, answering for the cluster domain from the apiserver. */
export function corefile(layout: NodeLayout): string {
  return [
    `${NETWORK.clusterDomain}:53 in-addr.arpa:53 {`,
    `  bind ${NETWORK.nodeIp}`,
    '  errors',
    `  health 127.0.0.1:${layout.ports.dnsHealth}`,
    `  ready 127.0.0.1:${layout.ports.dnsReady}`,
    `  kubernetes ${NETWORK.clusterDomain} in-addr.arpa {`,
    `    kubeconfig ${layout.kubeconfigPath}`,
    '    pods insecure',
    '    ttl 5',
    '  }',
    '  cache 5',
    '  loadbalance',
    '}',
    '',
  ].join('\n');
}

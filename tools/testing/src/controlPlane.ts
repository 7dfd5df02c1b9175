import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';
import { resolveBinaries, type EnvtestBinaries } from './binaries.js';
import { generatePki } from './pki.js';
import { freePorts, startProcess, startReaper, writePidFile, type ManagedProcess } from './processes.js';

const run = promisify(execFile);

export interface ControlPlaneOptions {
  /** Binaries to run; defaults to {@link resolveBinaries} (throws when missing). */
  binaries?: EnvtestBinaries;
  /** Extra kube-apiserver flags (`--name=value`), appended after the defaults. */
  apiServerArgs?: string[];
  /** Max time to wait for etcd and kube-apiserver to become ready. Default 60 s. */
  startTimeoutMs?: number;
  /** Parent of the temporary directory (certs, data, logs). Default os.tmpdir(). */
  tmpRoot?: string;
  /**
   * Address kube-apiserver binds to and advertises (also in its serving certificate). Default
   * 127.0.0.1; a cluster whose pods reach the apiserver through the `kubernetes` Service needs an
   * address they can route to (an endpoint may not be a loopback address).
   */
  address?: string;
  /**
   * Keep the ServiceAccount admission plugin, for a cluster whose kube-controller-manager creates
   * the `default` ServiceAccounts and whose pods get tokens. Default false (no Pod would be admitted).
   */
  serviceAccounts?: boolean;
}

/**
 * A running etcd + kube-apiserver. There is NO kube-controller-manager, no
 * scheduler and no kubelet: namespaces are deleted without finalisation of
 * their content, ownerReferences are NOT garbage-collected (assert on the
 * ownerReference instead of the dependent's deletion), no ServiceAccount
 * tokens are minted and Pods never run.
 */
export interface ControlPlane {
  /** kubeconfig (cluster `envtest`, user `admin`, context `envtest`) for client-node and kubectl. */
  readonly kubeconfigPath: string;
  /** A fresh client-node KubeConfig loaded from {@link kubeconfigPath}. */
  readonly kubeConfig: KubeConfig;
  /** `https://127.0.0.1:<port>` */
  readonly server: string;
  /** Bearer token of `admin` (group `system:masters`). */
  readonly token: string;
  /** PEM CA certificate the apiserver's serving certificate chains to. */
  readonly caCertPath: string;
  /** PEM private key that signs ServiceAccount tokens (for a kube-controller-manager). */
  readonly serviceAccountKeyPath: string;
  readonly binaries: EnvtestBinaries;
  /** Directory of the kubectl binary. */
  readonly binDir: string;
  /** Temporary directory with certs, etcd data and logs; removed by {@link stop}. */
  readonly dir: string;
  /** Runs the matching kubectl against this control plane; resolves with stdout, rejects with stderr. */
  kubectl(args: string[]): Promise<string>;
  /** Stops kube-apiserver and starts it again on the same port, certs and etcd (data survives). */
  restartApiServer(): Promise<void>;
  /** Stops everything and removes {@link dir}. Idempotent. */
  stop(): Promise<void>;
}

export function loadKubeConfig(kubeconfigPath: string): KubeConfig {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromFile(kubeconfigPath);
  return kubeConfig;
}

/** Runs `kubectl --kubeconfig <path> ...args`. */
export async function runKubectl(kubectl: string, kubeconfigPath: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run(kubectl, ['--kubeconfig', kubeconfigPath, ...args], {
      maxBuffer: 16 * 1024 * 1024,
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr;
    throw new Error(`kubectl ${args.join(' ')} failed: ${stderr?.trim() || String(error)}`, { cause: error });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function httpGet(url: string, ca: string | undefined, token: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      url,
      {
        ca,
        headers: token ? { Authorization: `Bearer ${token}` } : {},
        timeout: 2_000,
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(0));
    req.end();
  });
}

async function httpGetPlain(url: string): Promise<number> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    await res.arrayBuffer();
    return res.status;
  } catch {
    return 0;
  }
}

async function waitUntil(
  what: ManagedProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (what.hasExited()) {
      throw new Error(`${what.name} exited during start-up; log ${what.logFile}:\n${what.logTail()}`);
    }
    if (await probe()) return;
    if (Date.now() > deadline) {
      throw new Error(
        `${what.name} not ready after ${timeoutMs} ms; log ${what.logFile}:\n${what.logTail()}`,
      );
    }
    await sleep(100);
  }
}

/**
 * Starts etcd and kube-apiserver on free 127.0.0.1 ports with a throw-away PKI,
 * a static admin token (`system:masters`) and RBAC authorisation, and waits for
 * `/readyz`. Always call `stop()` (e.g. in `afterAll`); if the process dies
 * first, an exit handler and a detached reaper kill the servers and remove the
 * temporary directory.
 */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const binaries = options.binaries ?? resolveOrThrow();
  const timeoutMs = options.startTimeoutMs ?? 60_000;
  const dir = mkdtempSync(join(options.tmpRoot ?? tmpdir(), 'agent-registry-envtest-'));
  const pidFile = join(dir, 'pids');
  writeFileSync(pidFile, '');
  startReaper(dir, pidFile);

  const processes: ManagedProcess[] = [];
  let apiServer: ManagedProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    // apiserver first, so it does not log etcd connection errors while shutting down.
    if (apiServer) await apiServer.stop();
    await Promise.all(processes.map((p) => p.stop()));
    rmSync(dir, { recursive: true, force: true });
  };

  try {
    const [etcdClientPort, etcdPeerPort, securePort] = (await freePorts(3)) as [number, number, number];
    const address = options.address ?? '127.0.0.1';
    const pki = await generatePki(dir, address === '127.0.0.1' ? [] : [address]);
    const server = `https://${address}:${securePort}`;
    const token = randomBytes(24).toString('hex');
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });

    const etcdUrl = `http://127.0.0.1:${etcdClientPort}`;
    const peerUrl = `http://127.0.0.1:${etcdPeerPort}`;
    const etcdDataDir = join(dir, 'etcd');
    mkdirSync(etcdDataDir, { mode: 0o700 });
    const etcd = startProcess(
      'etcd',
      binaries.etcd,
      [
        `--data-dir=${etcdDataDir}`,
        `--listen-client-urls=${etcdUrl}`,
        `--advertise-client-urls=${etcdUrl}`,
        `--listen-peer-urls=${peerUrl}`,
        `--initial-advertise-peer-urls=${peerUrl}`,
        `--initial-cluster=default=${peerUrl}`,
        '--unsafe-no-fsync=true',
        '--log-level=warn',
      ],
      join(dir, 'etcd.log'),
    );
    processes.push(etcd);
    writePidFile(pidFile, processes);
    await waitUntil(etcd, async () => (await httpGetPlain(`${etcdUrl}/health`)) === 200, timeoutMs);

    const apiServerArgs = [
      `--advertise-address=${address}`,
      `--bind-address=${address}`,
      `--secure-port=${securePort}`,
      `--etcd-servers=${etcdUrl}`,
      `--tls-cert-file=${pki.servingCert}`,
      `--tls-private-key-file=${pki.servingKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${tokenFile}`,
      '--authorization-mode=RBAC',
      '--service-cluster-ip-range=10.0.0.0/24',
      `--service-account-issuer=${server}`,
      `--service-account-key-file=${pki.serviceAccountPub}`,
      `--service-account-signing-key-file=${pki.serviceAccountKey}`,
      '--allow-privileged=true',
      // No token controller runs, so the ServiceAccount admission plugin would
      // reject every Pod without a default ServiceAccount (as in controller-runtime's envtest).
      ...(options.serviceAccounts ? [] : ['--disable-admission-plugins=ServiceAccount']),
      `--cert-dir=${join(dir, 'apiserver-certs')}`,
      ...(options.apiServerArgs ?? []),
    ];
    const caPem = readFileSync(pki.caCert, 'utf8');
    const startApiServer = async (): Promise<void> => {
      apiServer = startProcess(
        'kube-apiserver',
        binaries.kubeApiServer,
        apiServerArgs,
        join(dir, 'kube-apiserver.log'),
      );
      writePidFile(pidFile, [...processes, apiServer]);
      const current = apiServer;
      await waitUntil(
        current,
        async () => (await httpGet(`${server}/readyz`, caPem, token)) === 200,
        timeoutMs,
      );
    };
    await startApiServer();

    const kubeconfigPath = join(dir, 'kubeconfig');
    writeFileSync(
      kubeconfigPath,
      stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'envtest',
            cluster: { server, 'certificate-authority-data': Buffer.from(caPem).toString('base64') },
          },
        ],
        users: [{ name: 'admin', user: { token } }],
        contexts: [{ name: 'envtest', context: { cluster: 'envtest', user: 'admin', namespace: 'default' } }],
        'current-context': 'envtest',
      }),
      { mode: 0o600 },
    );

    return {
      kubeconfigPath,
      kubeConfig: loadKubeConfig(kubeconfigPath),
      server,
      token,
      caCertPath: pki.caCert,
      serviceAccountKeyPath: pki.serviceAccountKey,
      binaries,
      binDir: join(binaries.kubectl, '..'),
      dir,
      kubectl: (args) => runKubectl(binaries.kubectl, kubeconfigPath, args),
      async restartApiServer() {
        if (stopped) throw new Error('control plane is stopped');
        await apiServer?.stop();
        // A restarted kube-apiserver has been seen to exit during start-up once in a while (its log
        // then goes with the temp dir); a second attempt starts cleanly, so tests don't flake on it.
        for (let attempt = 1; ; attempt++) {
          try {
            await startApiServer();
            return;
          } catch (error) {
            if (attempt >= 3 || stopped) throw error;
            await sleep(1_000);
          }
        }
      },
      stop,
    };
  } catch (error) {
    await stop().catch(() => undefined);
    throw error;
  }
}

function resolveOrThrow(): EnvtestBinaries {
  const resolution = resolveBinaries();
  if (!resolution.found) {
    throw new Error(`${resolution.reason}; run \`npm run envtest:setup\` or set KUBEBUILDER_ASSETS`);
  }
  return resolution.binaries;
}

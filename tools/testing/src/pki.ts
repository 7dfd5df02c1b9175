import { execFile } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Files of the throw-away PKI of one control plane (all PEM). */
export interface ControlPlanePki {
  caCert: string;
  caKey: string;
  servingCert: string;
  servingKey: string;
  serviceAccountKey: string;
  serviceAccountPub: string;
}

async function openssl(dir: string, args: string[]): Promise<void> {
  try {
    await run('openssl', args, { cwd: dir });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr ?? '';
    throw new Error(`openssl ${args[0]} failed: ${stderr || String(error)}`, { cause: error });
  }
}

/**
 * Generates a CA, a kube-apiserver serving certificate for 127.0.0.1/localhost
 * (and `extraIps`) signed by it (via the `openssl` CLI, node:crypto cannot issue certificates)
 * and an ECDSA service-account signing key pair (via node:crypto).
 */
export async function generatePki(dir: string, extraIps: readonly string[] = []): Promise<ControlPlanePki> {
  const pki: ControlPlanePki = {
    caCert: join(dir, 'ca.crt'),
    caKey: join(dir, 'ca.key'),
    servingCert: join(dir, 'apiserver.crt'),
    servingKey: join(dir, 'apiserver.key'),
    serviceAccountKey: join(dir, 'sa.key'),
    serviceAccountPub: join(dir, 'sa.pub'),
  };
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  await openssl(dir, [
    'req',
    '-x509',
    ...ec,
    '-keyout',
    pki.caKey,
    '-out',
    pki.caCert,
    '-days',
    '7',
    '-subj',
    '/CN=agent-registry-envtest-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);

  const csr = join(dir, 'apiserver.csr');
  const ext = join(dir, 'apiserver.ext');
  await writeFile(
    ext,
    [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth',
      // 10.0.0.1 is the `kubernetes` Service IP of --service-cluster-ip-range.
      `subjectAltName=IP:127.0.0.1,DNS:localhost,IP:10.0.0.1,DNS:kubernetes.default.svc${extraIps.map((ip) => `,IP:${ip}`).join('')}`,
      '',
    ].join('\n'),
  );
  await openssl(dir, ['req', ...ec, '-keyout', pki.servingKey, '-out', csr, '-subj', '/CN=kube-apiserver']);
  await openssl(dir, [
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    pki.caCert,
    '-CAkey',
    pki.caKey,
    '-set_serial',
    `0x${Date.now().toString(16)}`,
    '-days',
    '7',
    '-extfile',
    ext,
    '-out',
    pki.servingCert,
  ]);

  const { privateKey, publicKey } = generateKeyPairSync('ec', {
    namedCurve: 'P-256',
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  await writeFile(pki.serviceAccountKey, privateKey, { mode: 0o600 });
  await writeFile(pki.serviceAccountPub, publicKey);
  return pki;
}

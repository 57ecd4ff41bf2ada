/**
 * Throwaway PKI for the TLS tests, made at test time with the `openssl` command line in a temp
 * directory that `dispose()` removes: a CA, a server certificate for 127.0.0.1/localhost, client
 * certificates whose CN is a station identity, and a second "rogue" CA the server does not trust.
 * No key ever leaves the temp directory except as a PEM string in memory.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface KeyPair {
  readonly key: string;
  readonly cert: string;
}

export interface TestPki {
  /** The CA the server trusts and that signed the server certificate. */
  readonly ca: string;
  /** A CA nobody trusts, for certificates that must not verify. */
  readonly rogueCa: string;
  /** Server certificate with subjectAltName IP:127.0.0.1 and DNS:localhost. */
  readonly server: KeyPair;
  /** A client (station) certificate with CN = `commonName`, signed by the trusted CA or the rogue one. */
  clientCertificate(commonName: string, options?: { rogue?: boolean }): KeyPair;
  /** Removes the temp directory and every key in it. */
  dispose(): void;
}

/** True when the `openssl` command line is available. */
export function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export function createTestPki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'ocppkit-pki-'));
  const path = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  let serial = 1;

  // P-256 keys: generated in milliseconds, accepted by every TLS 1.2/1.3 stack.
  const newKey = (name: string): string => {
    openssl(
      'genpkey',
      '-algorithm',
      'EC',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-out',
      path(`${name}.key`),
    );
    return readFileSync(path(`${name}.key`), 'utf8');
  };

  const newCa = (name: string, commonName: string): string => {
    newKey(name);
    openssl(
      'req',
      '-x509',
      '-new',
      '-key',
      path(`${name}.key`),
      '-subj',
      `/CN=${commonName}`,
      '-days',
      '1',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign,cRLSign',
      '-out',
      path(`${name}.pem`),
    );
    return readFileSync(path(`${name}.pem`), 'utf8');
  };

  const issue = (name: string, commonName: string, extensions: string, caName: string): KeyPair => {
    const key = newKey(name);
    openssl(
      'req',
      '-new',
      '-key',
      path(`${name}.key`),
      '-subj',
      `/CN=${commonName}`,
      '-out',
      path(`${name}.csr`),
    );
    writeFileSync(path(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      path(`${name}.csr`),
      '-CA',
      path(`${caName}.pem`),
      '-CAkey',
      path(`${caName}.key`),
      '-set_serial',
      String(serial++),
      '-days',
      '1',
      '-extfile',
      path(`${name}.ext`),
      '-out',
      path(`${name}.pem`),
    );
    return { key, cert: readFileSync(path(`${name}.pem`), 'utf8') };
  };

  const ca = newCa('ca', 'ocppkit test CA');
  const rogueCa = newCa('rogue-ca', 'ocppkit rogue CA');
  const server = issue(
    'server',
    'localhost',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n',
    'ca',
  );
  let clients = 0;
  return {
    ca,
    rogueCa,
    server,
    clientCertificate(commonName, options = {}) {
      clients += 1;
      return issue(
        `client-${clients}`,
        commonName,
        'extendedKeyUsage=clientAuth\n',
        options.rogue ? 'rogue-ca' : 'ca',
      );
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

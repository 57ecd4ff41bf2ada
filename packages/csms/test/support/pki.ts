/**
 * Certificates for the TLS tests, from ocppkit's own test support (packages/ocpp/test/support/
 * certificates.ts, compiled with that package): a throwaway CA, a server certificate for 127.0.0.1,
 * and client certificates whose CN is a station identity. The CSMS reads its certificate, key and CA
 * from files, so `csmsTlsFiles` writes them to a temp directory.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type * as certificates from '../../../ocpp/dist/test/support/certificates.js';

// The compiled tests run one folder deeper (packages/csms/dist/test/support) than these sources
// (packages/csms/test/support), so no one relative path serves both: the types are taken from here,
// the code from where the compiled file runs.
const compiled = new URL('../../../../ocpp/dist/test/support/certificates.js', import.meta.url);
const support = (await import(compiled.href)) as typeof certificates;

export type TestPki = certificates.TestPki;
export const createTestPki = support.createTestPki;
export const opensslAvailable = support.opensslAvailable;

/** The CSMS settings for a wss listener on a free port with `pki`'s server certificate and CA. */
export function csmsTlsFiles(pki: TestPki): {
  readonly overrides: { tlsCert: string; tlsKey: string; tlsCa: string; tlsPort: string };
  dispose(): void;
} {
  const dir = mkdtempSync(join(tmpdir(), 'csms-tls-'));
  const file = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };
  return {
    overrides: {
      tlsCert: file('server.pem', pki.server.cert),
      tlsKey: file('server.key', pki.server.key),
      tlsCa: file('ca.pem', pki.ca),
      tlsPort: '0',
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

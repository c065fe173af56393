import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A throwaway certificate authority and a server certificate it signed, for local HTTPS fakes (the X API fake):
 * made once per process with the `openssl` CLI in a fresh temporary directory, removed when the process exits.
 *
 * The server certificate names `127.0.0.1` (IP SAN) and `localhost` (DNS SAN), so a client that trusts `caPem`
 * verifies it normally — no `rejectUnauthorized: false` anywhere. In-process clients take `caPem` (e.g.
 * `new https.Agent({ ca: caPem })`); child processes take `NODE_EXTRA_CA_CERTS: caFile` in their environment
 * (Node reads that variable only at start-up, so it cannot be set for the current process).
 *
 * Keys are EC P-256, so generation takes tens of milliseconds rather than the seconds RSA would.
 */

export interface TestCa {
  /** the CA certificate, PEM: what a client trusts */
  caPem: string;
  /** the server certificate for 127.0.0.1 / localhost, PEM, signed by the CA */
  certPem: string;
  /** the server certificate's private key, PEM (unencrypted) */
  keyPem: string;
  /** a file holding `caPem`, usable as NODE_EXTRA_CA_CERTS for child processes; lives until this process exits */
  caFile: string;
}

const OPENSSL = process.env.OPENSSL ?? 'openssl';
// A day either side of now: enough for any run, and short-lived certificates are harmless if one leaks.
const DAYS = '2';

/**
 * Makes the CA and the server certificate in `dir` (a fresh temporary one by default, removed at exit). The test
 * run's global setup makes one for all workers in PMC_TEST_CA_DIR and trusts it through NODE_EXTRA_CA_CERTS, so the
 * bridge in a test worker trusts the fakes exactly as a deployment trusts a CA: no agent, no flag.
 */
export function makeTestCa(given?: string): TestCa {
  const dir = given ?? mkdtempSync(join(tmpdir(), 'pmc-test-ca-'));
  if (!given) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const at = (name: string): string => join(dir, name);
  const openssl = (...args: string[]): void => {
    try {
      execFileSync(OPENSSL, args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (err) {
      const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`openssl ${args[0]} failed while making the test CA: ${stderr || String(err)}`);
    }
  };
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

  // 1. The CA: self-signed, allowed to sign certificates and nothing else.
  openssl(
    'req', '-x509', ...ecKey, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', DAYS,
    '-subj', '/CN=pmc-bridge throwaway test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE',
    '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  );
  // 2. The server's key and signing request.
  openssl('req', ...ecKey, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  // 3. The CA signs it, with the names clients check (Node matches an IP host only against IP SANs).
  writeFileSync(
    at('server.ext'),
    [
      'subjectAltName = IP:127.0.0.1, DNS:localhost',
      'basicConstraints = critical, CA:FALSE',
      'keyUsage = critical, digitalSignature',
      'extendedKeyUsage = serverAuth',
    ].join('\n') + '\n',
  );
  openssl(
    'x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial',
    '-out', at('server.pem'), '-days', DAYS, '-sha256', '-extfile', at('server.ext'),
  );

  const read = (name: string): string => readFileSync(at(name), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('server.pem'), keyPem: read('server.key'), caFile: at('ca.pem') };
}

function readTestCa(dir: string): TestCa {
  const read = (name: string): string => readFileSync(join(dir, name), 'utf8');
  return { caPem: read('ca.pem'), certPem: read('server.pem'), keyPem: read('server.key'), caFile: join(dir, 'ca.pem') };
}

/** the run's test CA (from the global setup), or one of this process's own made on first import */
export const testCa: TestCa = process.env.PMC_TEST_CA_DIR ? readTestCa(process.env.PMC_TEST_CA_DIR) : makeTestCa();
export const { caPem, certPem, keyPem, caFile } = testCa;

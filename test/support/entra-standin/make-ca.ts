// `node dist/test/support/entra-standin/make-ca.js`: creates the test CA if missing and prints the
// path to give NODE_EXTRA_CA_CERTS.
import { ensureTestCa } from './test-ca';

console.log(ensureTestCa().caCertPath);

import { iqomFuzz } from './iqom-fuzz.js';
import { soapFuzz } from './soap-fuzz.js';

// npm run test:fuzz [-- cases seed]: the full fuzz run (100 000 cases of each by default).
// Exit 1 on any crash, forgery or wrong OK.

const cases = Number(process.argv[2] ?? '100000');
const seed = Number(process.argv[3] ?? '20261122');
const started = Date.now();
const soap = await soapFuzz(cases, seed);
const iqom = iqomFuzz(cases, seed);
const seconds = ((Date.now() - started) / 1000).toFixed(1);
console.log(`fuzz (seed ${seed}, ${seconds} s)`);
console.log(`  SOAP answers (parse, signature, echo, status): ${soap.cases} cases, ${soap.crashes} crashes, ${soap.forgeries} accepted forgeries, ${soap.rejected} refused, ${soap.acceptedUnchanged} accepted unchanged (only unsigned parts touched)`);
console.log(`  iqom answers (framing, parsing): ${iqom.cases} cases, ${iqom.documents} documents read, ${iqom.crashes} crashes, ${iqom.wrongOk} wrong OK`);
if (soap.crashes + soap.forgeries + iqom.crashes + iqom.wrongOk > 0) process.exitCode = 1;
export { soap, iqom };

import type { DoctorCheck, DoctorDiagnosis, DoctorSummary, DoctorTry } from '../../shared/doctor.js';

// The doctor's report in English for the command line (the till words the same codes in its own
// messages, en and bg).

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function checkWords(check: DoctorCheck): string {
  const d = check.data;
  switch (check.check) {
    case 'reach':
      return check.result === 'ok' ? `${d.host} is reachable` : `cannot reach ${d.host}: ${d.cause}`;
    case 'clock':
      return check.result === 'ok' ? `clock within ${seconds(Math.abs(Number(d.offsetMs)))} of myPOS` : `this machine's clock is ${seconds(Number(d.offsetMs))} off myPOS's: set it (NTP); logs and disputes need the right time`;
    case 'certificate': {
      const left = Number(d.daysLeft);
      const until = String(d.notAfter).slice(0, 10);
      const name = d.certificate === 'mypos' ? "myPOS's certificate" : 'our certificate (MYPOS_PARTNER_CERT_FILE)';
      if (left < 0) return `${name} expired on ${until}: renew it with myPOS`;
      return `${name} valid until ${until} (${left} days)${check.result === 'warn' ? ': renew it with myPOS soon' : ''}`;
    }
    case 'wsdl':
      return check.result === 'ok' ? `WSDL read at ${d.url} (${d.operations} operations): SOAPAction and element order from it` : `WSDL not read (${d.reason}): SOAPActions are tried instead`;
  }
}

export function tryWords(attempt: DoctorTry): string {
  if (attempt.outcome === 'answer') {
    // A 4 about the made-up payment is the expected answer: the call itself was accepted.
    const meaning = ['0', '4', '13', '14', '15'].includes(attempt.status ?? '') ? 'call accepted' : 'refused';
    return `${meaning}: status ${attempt.status} ${attempt.statusName ?? ''}${attempt.verifiedAs ? `, answer verified as ${attempt.verifiedAs}` : ''}`.trim();
  }
  if (attempt.outcome === 'soap_fault') return `HTTP ${attempt.httpStatus ?? '?'} SOAP fault ${attempt.faultCode ?? ''}`.trim();
  if (attempt.outcome === 'http_status') return `HTTP ${attempt.httpStatus ?? '?'}`;
  if (attempt.outcome === 'bad_signature') return 'answer does not verify with the myPOS certificate';
  return attempt.outcome;
}

export function diagnosisWords(report: DoctorSummary): string {
  if (report.ok) return `OK: myPOS accepts the calls on terminal ${report.tid}; the profile above is saved and used by the edge.`;
  const d = report.detail;
  const diagnosis: DoctorDiagnosis | undefined = report.diagnosis;
  switch (diagnosis) {
    case 'unreachable':
      return `Cannot reach ${new URL(report.endpoint).host} (${d.cause ?? 'no answer'}). Check MYPOS_ENDPOINT, DNS, the firewall and the TLS chain.`;
    case 'wrong_endpoint':
      return `${report.endpoint} answers${d.httpStatus ? ` (HTTP ${d.httpStatus})` : ''}, but not as the myPOS Cash Register service. Check MYPOS_ENDPOINT (test: https://demotest-crrservice.mypos.com/infromhttp).`;
    case 'soap_action_refused':
      return 'myPOS refused every SOAPAction tried (ActionNotSupported) and its WSDL could not be read. Set MYPOS_SOAP_ACTION to the soapAction its WSDL gives, with {method} for the method.';
    case 'answer_not_verified':
      return 'myPOS answered, but the answer does not verify with MYPOS_CERT_FILE in either order. Ask myPOS for their current certificate.';
    case 'login_refused':
      return `Login refused (40): check MYPOS_LOGIN, and that myPOS installed your certificate for key_index ${d.keyIndex ?? '1'}.`;
    case 'signature_refused':
      return `Signature refused under both orders (status ${d.status}): did myPOS install your certificate for key_index ${d.keyIndex ?? '1'}? MYPOS_PRIVATE_KEY_FILE must be the key of the certificate you sent them.`;
    case 'request_refused':
      return `myPOS refused the request's layout (status ${d.status ?? d.rule ?? '?'}). Check MYPOS_VERSION and MYPOS_WIRE_ORDER, and send this table to myPOS support.`;
    case 'terminal_not_subscribed':
      if (d.status === '7') return `The calls work (the profile is saved); terminal ${report.tid} still waits for its code: type the code the Terminals screen shows on the device, then run the doctor again.`;
      return `The calls work (the profile is saved), but terminal ${report.tid} is not subscribed (status ${d.status} ${d.statusName ?? ''}). Connect it on the Terminals screen (Connect terminal), type the code it shows on the device, and run the doctor again.`;
    case 'terminal_offline':
      return `The calls work (the profile is saved), but terminal ${report.tid} is offline (42). Switch it on and connect it.`;
    case 'mypos_error':
      return `myPOS answered with an error on every try (${d.status ? `status ${d.status} ${d.statusName ?? ''}` : (d.cause ?? '')}). Try again later; if it stays, send this table to myPOS support.`;
    case 'budget_spent':
    case undefined:
      return 'Ten requests did not settle it. Send this table to myPOS support.';
  }
}

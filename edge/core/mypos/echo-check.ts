import type { MyposError } from './errors.js';
import type { SignedRequest } from './exchange.js';
import { isCommonField, wireFields, type ProtocolProfile } from './profile.js';
import type { MyposResponse } from './response.js';

/**
 * Fields we sent must come back with the exact value sent. The common fields are echoed on every
 * answer; the method's own fields only on a successful one (myPOS leaves them out of refusals).
 * A field we did not send may come back absent, empty, nil (already dropped) or "0" (a WCF
 * service's unset integer, e.g. reference_number_type); anything else is not about our request.
 */
export function findEchoMismatch(signed: SignedRequest, response: MyposResponse, profile: ProtocolProfile): MyposError | undefined {
  const sent = new Map(signed.fields);
  const received = new Map(response.fields);
  const success = response.status === '0';
  for (const spec of wireFields(signed.request.method, profile)) {
    const sentValue = sent.get(spec.name);
    const receivedValue = received.get(spec.name);
    const mustBePresent = sentValue !== undefined && (isCommonField(spec.name) || success);
    const unsetEcho = receivedValue === '' || receivedValue === '0';
    // A refusal need not echo the method's own fields; a WCF service writes them unset then.
    const unsetAllowed = sentValue === undefined || (!success && !isCommonField(spec.name));
    if (receivedValue === undefined ? mustBePresent : receivedValue !== sentValue && !(unsetAllowed && unsetEcho)) {
      return {
        kind: 'echo_mismatch',
        message: `${spec.name} in the answer (${receivedValue ?? 'missing'}) is not what was sent (${sentValue ?? 'not sent'})`,
        field: spec.name,
        sent: sentValue,
        received: receivedValue,
      };
    }
  }
  return undefined;
}

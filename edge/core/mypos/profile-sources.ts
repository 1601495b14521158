import { MYPOS_METHODS, type FieldOrder, type MyposMethod } from './methods.js';
import { ANSWER_ORDERS, DOCUMENTED_PROFILE, FIELD_ORDERS, wireFields, type AnswerOrder, type ProtocolProfile } from './profile.js';
import type { WsdlReading } from './wsdl.js';

// Where each part of the protocol profile comes from, strongest first:
// - SOAPAction and wire order: the WSDL (when read), the environment, what the doctor learned, the documents;
// - signing order, answer order, version: the environment, what the doctor learned, the documents.
// The WSDL is myPOS's own description of the service; the environment is the operator's explicit
// choice; the learned profile is evidence from myPOS's answers; the documents are our reading.

export type ProfileSource = 'documents' | 'learned' | 'environment' | 'wsdl';
export type ProfilePart = 'version' | 'wireOrder' | 'signingOrder' | 'soapActions' | 'answerOrder';

/** What the environment sets (MYPOS_VERSION, MYPOS_WIRE_ORDER, MYPOS_SIGNING_ORDER, MYPOS_SOAP_ACTION, MYPOS_ANSWER_ORDER). */
export interface ProfileOverrides {
  readonly version?: string;
  readonly wireOrder?: FieldOrder;
  readonly signingOrder?: FieldOrder;
  readonly soapActions?: Readonly<Record<MyposMethod, string>>;
  readonly answerOrder?: AnswerOrder;
}

/** A profile the doctor learned from myPOS's answers, as the edge stores it. */
export interface LearnedProfile {
  readonly profile: ProtocolProfile;
  readonly learnedAt: string;
  readonly endpoint: string;
  /** What showed it, in a line per finding (the doctor's table). */
  readonly evidence: readonly string[];
}

export interface ResolvedProfile {
  readonly profile: ProtocolProfile;
  readonly sources: Readonly<Record<ProfilePart, ProfileSource>>;
}

export function resolveProfile(input: { learned?: LearnedProfile | undefined; overrides?: ProfileOverrides; wsdl?: WsdlReading | undefined }): ResolvedProfile {
  const learned = input.learned?.profile;
  const env = input.overrides ?? {};
  const wsdl = input.wsdl;
  const pick = <T>(fromEnv: T | undefined, fromLearned: T | undefined, fallback: T): [T, ProfileSource] =>
    fromEnv !== undefined ? [fromEnv, 'environment'] : fromLearned !== undefined ? [fromLearned, 'learned'] : [fallback, 'documents'];

  const [version, versionFrom] = pick(env.version, learned?.version, DOCUMENTED_PROFILE.version);
  const [wireOrder, wireFrom] = pick(env.wireOrder, learned?.wireOrder, DOCUMENTED_PROFILE.wireOrder);
  const [signingOrder, signingFrom] = pick(env.signingOrder, learned?.signingOrder, DOCUMENTED_PROFILE.signingOrder);
  const [answerOrder, answerFrom] = pick(env.answerOrder, learned?.answerOrder, DOCUMENTED_PROFILE.answerOrder);
  const [baseActions, actionsFrom] = pick(env.soapActions, learned?.soapActions, DOCUMENTED_PROFILE.soapActions);
  const wsdlActions = wsdl ? Object.keys(wsdl.soapActions).length : 0;
  const soapActions = wsdl ? { ...baseActions, ...wsdl.soapActions } : baseActions;
  const wireSequences = wsdl ? wsdl.sequences : (learned?.wireSequences ?? {});
  return {
    profile: { version, wireOrder, wireSequences, signingOrder, soapActions, answerOrder },
    sources: {
      version: versionFrom,
      wireOrder: wsdl && Object.keys(wsdl.sequences).length > 0 ? 'wsdl' : wireFrom,
      signingOrder: signingFrom,
      soapActions: wsdlActions > 0 ? 'wsdl' : actionsFrom,
      answerOrder: answerFrom,
    },
  };
}

/** Where the WSDL disagrees with the profile it replaces, one line each (logged once at start). */
export function wsdlDifferences(before: ProtocolProfile, wsdl: WsdlReading): string[] {
  const lines: string[] = [];
  for (const method of MYPOS_METHODS) {
    const action = wsdl.soapActions[method];
    if (action !== undefined && action !== before.soapActions[method]) lines.push(`${method} SOAPAction: "${action}" (was "${before.soapActions[method]}")`);
    const sequence = wsdl.sequences[method];
    const previous = wireFields(method, before).map((spec) => spec.name);
    if (sequence && sequence.join(',') !== previous.join(',')) lines.push(`${method} elements: ${sequence.join(', ')} (was ${previous.join(', ')})`);
  }
  return lines;
}

/** A stored profile read back, or undefined when it is not one (a newer or damaged record is ignored). */
export function parseLearnedProfile(text: string): LearnedProfile | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Partial<LearnedProfile>;
  const profile = record.profile as Partial<ProtocolProfile> | undefined;
  if (!profile || typeof record.learnedAt !== 'string' || typeof record.endpoint !== 'string' || !Array.isArray(record.evidence)) return undefined;
  const order = (raw: unknown): raw is FieldOrder => FIELD_ORDERS.includes(raw as FieldOrder);
  if (!order(profile.wireOrder) || !order(profile.signingOrder) || !ANSWER_ORDERS.includes(profile.answerOrder as AnswerOrder)) return undefined;
  if (typeof profile.version !== 'string' || typeof profile.soapActions !== 'object' || profile.soapActions === null) return undefined;
  const actions = profile.soapActions as Record<string, unknown>;
  if (!MYPOS_METHODS.every((method) => typeof actions[method] === 'string')) return undefined;
  return record as LearnedProfile;
}

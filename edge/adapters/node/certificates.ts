import type { CertificateInfo } from '../../core/mypos/keys.js';

/** Certificates are renewed yearly; warn 30 days ahead (start-up log and /healthz). */
export const EXPIRY_WARNING_DAYS = 30;

export interface CertificateReport {
  readonly name: string;
  readonly subject: string;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly expiresSoon: boolean;
}

export function reportCertificates(name: string, certificates: readonly CertificateInfo[], now: number): CertificateReport[] {
  return certificates.map((certificate) => {
    const daysLeft = Math.floor((certificate.notAfter.getTime() - now) / 86_400_000);
    return { name, subject: certificate.subject, notAfter: certificate.notAfter.toISOString(), daysLeft, expiresSoon: daysLeft < EXPIRY_WARNING_DAYS };
  });
}

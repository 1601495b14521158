// @peculiar/x509 needs a Reflect metadata polyfill loaded before it; importing it only through
// this module guarantees the order. @abraham/reflection is the small one the library suggests.
import '@abraham/reflection';

export { PemConverter, X509Certificate, X509CertificateGenerator, X509Certificates } from '@peculiar/x509';

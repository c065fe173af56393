// Lokshahi's webhook is the intake API's signed route with its own header: the same check, not a copy of it.
export { verifyBodySignature as verifyLokshahiSignature, signBody as signLokshahiBody } from '../intake/verify.ts';

/** where the applications' sender signs: X-Lokshahi-Signature: sha256=<hex HMAC-SHA256 of the raw body> */
export const LOKSHAHI_SIGNATURE_HEADER = 'x-lokshahi-signature';

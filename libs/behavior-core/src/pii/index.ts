export type { PiiTreatment } from '../contracts/signal-schema.js';
export { FREE_TEXT_MIN_LENGTH, freeTextPiiFindings } from './free-text-pii.advisor.js';
export { MASKED_VALUE, PiiTreatmentService } from './pii-treatment.service.js';
export { ENCRYPTED_PREFIX, PiiKeyError, PiiValueCipher, type PiiKeySettings } from './pii-value.cipher.js';

import { en, type Messages } from './en.js';

/** The texts of the current language (English until settings offer another one). */
export const t: Messages = en;

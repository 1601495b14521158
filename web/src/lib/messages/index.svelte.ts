import { bg } from './bg.js';
import { en, type Messages } from './en.js';

// The texts of the current language. `t` is reactive: switching the language in Settings changes
// every screen at once, and the choice is kept on this device.

export const LANGUAGES = { en, bg } as const satisfies Record<string, Messages>;
export type Language = keyof typeof LANGUAGES;
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', bg: 'Български' };

const KEY = 'till.language';

function saved(): Language {
  const value = localStorage.getItem(KEY);
  return value === 'bg' || value === 'en' ? value : 'en';
}

export const language = $state<{ current: Language }>({ current: saved() });
export const t: Messages = $state({ ...LANGUAGES[language.current] });
document.documentElement.lang = language.current;

export function setLanguage(next: Language): void {
  Object.assign(t, LANGUAGES[next]);
  language.current = next;
  localStorage.setItem(KEY, next);
  document.documentElement.lang = next;
}

import { stored } from '../platform/storage.js';
import { en, type Messages } from './en.js';

// The texts of the current language. `t` is reactive: switching the language in Settings changes
// every screen at once, and the choice is kept on this device. English is in the first load;
// another language is fetched when chosen (and precached, so it switches offline too).

const LOADERS = {
  en: async (): Promise<Messages> => en,
  bg: async (): Promise<Messages> => (await import('./bg.js')).bg,
} as const satisfies Record<string, () => Promise<Messages>>;
export type Language = keyof typeof LOADERS;
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = { en: 'English', bg: 'Български' };

function saved(): Language {
  const value = stored.language.get();
  return value === 'bg' || value === 'en' ? value : 'en';
}

export const language = $state<{ current: Language }>({ current: 'en' });
export const t: Messages = $state({ ...en });
document.documentElement.lang = 'en';

export async function setLanguage(next: Language): Promise<void> {
  Object.assign(t, await LOADERS[next]());
  language.current = next;
  stored.language.set(next);
  document.documentElement.lang = next;
}

/** The language kept on this device, loaded before the till first shows. */
export function restoreLanguage(): Promise<void> {
  const kept = saved();
  return kept === 'en' ? Promise.resolve() : setLanguage(kept);
}

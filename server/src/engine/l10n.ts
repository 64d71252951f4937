// The engine's messages in the user's language. Messages are written in English at the call site as
// `l10n.t('… {0}', x)` (or `l10n.t\`…\``) after `import * as l10n from '@vscode/l10n'`: the
// extractor (vscode-l10n-dev export) follows only files that import `@vscode/l10n` or `vscode`, and
// the library is one module in every bundle, so `t` here and there is the same function. The
// Spanish bundle is l10n/server.l10n.es.json, built into the server and CLI bundles so they need no
// files beside them. The locale is per process: one language server serves one client, one CLI run
// prints one language. See docs/localization.md.
import * as l10n from '@vscode/l10n';
import spanish from '../../../l10n/server.l10n.es.json';

export const t = l10n.t;

/** A number of bytes with its unit: "1 byte", "480 bytes". */
export function byteCount(count: number | bigint): string {
  return count === 1 || count === 1n ? l10n.t('1 byte') : l10n.t('{0} bytes', String(count));
}

/** Languages with a bundle, by primary language subtag. English is the source language and needs none. */
const BUNDLES: Record<string, l10n.l10nJsonFormat> = { es: spanish };

let currentLanguage = 'en';

/**
 * Switches every later message to the language of a BCP 47 tag (`es`, `es-MX`) or a POSIX locale
 * (`es_ES.UTF-8`); languages without a bundle get English.
 */
export function setLocale(locale: string | undefined): void {
  const language = primaryLanguage(locale);
  const bundle = BUNDLES[language];
  currentLanguage = bundle ? language : 'en';
  l10n.config({ contents: bundle ?? {} });
}

/** The language messages are in now: `en` or a language with a bundle. */
export function currentLocale(): string {
  return currentLanguage;
}

export function supportedLanguages(): string[] {
  return ['en', ...Object.keys(BUNDLES)];
}

function primaryLanguage(locale: string | undefined): string {
  return (locale ?? '').trim().split(/[-_.@]/)[0].toLowerCase();
}

/**
 * The locale a command line run follows when none is given, read the way gettext reads it: the first
 * of LC_ALL, LC_MESSAGES, LANG that is set; then LANGUAGE (a colon-separated preference list) wins,
 * unless that locale is `C`/`POSIX`, which means untranslated messages.
 */
export function localeFromEnvironment(env: Record<string, string | undefined>): string | undefined {
  const locale = ['LC_ALL', 'LC_MESSAGES', 'LANG'].map((name) => env[name]?.trim()).find((value) => value);
  if (!locale || locale === 'C' || locale === 'POSIX' || locale.startsWith('C.')) return undefined;
  return env.LANGUAGE?.split(':').find((entry) => entry.trim()) ?? locale;
}

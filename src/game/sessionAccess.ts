/** How many players a session seats: 2..16, 8 unless its creator says otherwise. */
export const MIN_MAX_PLAYERS = 2;
export const MAX_MAX_PLAYERS = 16;
export const DEFAULT_MAX_PLAYERS = 8;

/** `public`: listed, in the live lobby and offered to quick play; `private`: joined by its code (or id) only. */
export type Visibility = 'public' | 'private';
export const VISIBILITIES: readonly Visibility[] = ['public', 'private'];

/**
 * A private session's join code is read aloud and typed by people: digits and capitals without the
 * ones that are misread (0/O, 1/I/L) or spell words too easily (U), as in Crockford's base 32.
 */
export const JOIN_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const JOIN_CODE_LENGTH = 6;
export const JOIN_CODE_PATTERN = new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`);

import { createHash } from 'node:crypto';

// The ids players are known by everywhere (seats, the state, the audit trail, bans, REST): a
// guest's self-chosen clientId, or a signed-in player's id made from its token's subject.

/** What a guest may call itself: 1..128 of letters, digits and `_-.:@`. */
export const CLIENT_ID_PATTERN = /^[A-Za-z0-9_\-.:@]{1,128}$/;

/** Any id the server holds: a guest's, a bot's, or a signed-in player's (which may hold a `|`, as Auth0's subjects do). */
export const PLAYER_ID_PATTERN = /^[A-Za-z0-9_\-.:@|]{1,128}$/;

/** A signed-in player's id: this prefix and the token's subject. Guests may not take such ids. */
export const SIGNED_IN_PREFIX = 'sub:';
/** The prefix of a signed-in player's id whose subject does not fit: the subject's SHA-256, base64url. */
const HASHED_SUBJECT_PREFIX = 'sub@';
/** A subject kept as it is: what an id may hold, short enough for the 128 characters of the id columns. */
const PLAIN_SUBJECT = /^[A-Za-z0-9_\-.:@|]{1,124}$/;

/**
 * The id of the player a token's subject (`sub`) names. Subjects are unique per issuer, and ids
 * are 128 characters at most, of a few characters: a subject that fits is kept readable
 * (`sub:auth0|64f1…`); any other becomes `sub@` and its digest. The two prefixes differ, so two
 * subjects never share an id, and no guest can take either (ClientIdentityService refuses them).
 */
export function clientIdOfSubject(subject: string): string {
  if (PLAIN_SUBJECT.test(subject)) return `${SIGNED_IN_PREFIX}${subject}`;
  return `${HASHED_SUBJECT_PREFIX}${createHash('sha256').update(subject).digest('base64url')}`;
}

/** Whether an id belongs to signed-in players (a guest claiming it is refused). */
export function isSignedInClientId(clientId: string): boolean {
  return clientId.startsWith(SIGNED_IN_PREFIX) || clientId.startsWith(HASHED_SUBJECT_PREFIX);
}

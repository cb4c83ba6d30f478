/** A round's phases, in order: lobby → countdown → playing → finished (→ lobby again on a new maze). */
export const PHASES = ['lobby', 'countdown', 'playing', 'finished'] as const;
export type Phase = (typeof PHASES)[number];

/** What the database keeps: a countdown is not stored, so after a restart it is the lobby again. */
export type StoredPhase = Exclude<Phase, 'countdown'>;

/**
 * Whether a session has a finished round, whose audit trail is published and replays: the round
 * it is in has finished, or it has moved on to another maze (`round` counts them from 1).
 */
export function hasFinishedRound(session: { phase: Phase; round: number }): boolean {
  return session.phase === 'finished' || session.round > 1;
}

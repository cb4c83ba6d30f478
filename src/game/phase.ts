/** A round's phases, in order: lobby → countdown → playing → finished (→ lobby again on a new maze). */
export const PHASES = ['lobby', 'countdown', 'playing', 'finished'] as const;
export type Phase = (typeof PHASES)[number];

/** What the database keeps: a countdown is not stored, so after a restart it is the lobby again. */
export type StoredPhase = Exclude<Phase, 'countdown'>;

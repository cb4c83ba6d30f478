import { mazeIsPublished } from '../../game/mazeSecrecy.ts';
import type { SessionSummary } from '../../sessions/sessionViews.ts';

/** A session as a caller may see it: `seed` is null until its round is finished, except for admins. */
export type DisclosedSession<S extends SessionSummary = SessionSummary> = Omit<S, 'seed'> & { seed: string | null };

export function disclosedSession<S extends SessionSummary>(session: S, admin: boolean): DisclosedSession<S> {
  return { ...session, seed: admin || mazeIsPublished(session.phase) ? session.seed : null };
}

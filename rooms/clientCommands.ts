import { DomainError } from '../src/domainErrors.ts';
import type { RoundEvent } from '../src/game/roundEvents.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import type { ClientIdentityService } from '../src/identity/ClientIdentityService.ts';
import { isSignedInClientId } from '../src/identity/playerIds.ts';
import type { ServerMetrics } from '../src/metrics/ServerMetrics.ts';
import type { EventLoopWatch } from '../src/overload/EventLoopWatch.ts';
import type { LabyrinthClient, WelcomeMessage } from './labyrinthProtocol.ts';
import type { RoundEffects } from './RoundEffects.ts';

// What a client's messages get done in its room: a command on the round, and the `whoami` answer.

/** A command on the round: given the time and how late the server handles it, the events it produced. */
export type ClientCommand = (now: number, lateMs: number) => RoundEvent[];

/**
 * Runs a client's command: its events are carried out, and a refusal (a domain error) is counted and
 * sent back as an `error`. `unsavedMessage`: what the client is told if its rows cannot be written.
 */
export function runClientCommand(
  client: LabyrinthClient,
  command: ClientCommand,
  effects: RoundEffects,
  server: { load: EventLoopWatch; metrics: ServerMetrics },
  unsavedMessage?: string,
): void {
  let events: RoundEvent[];
  const now = Date.now();
  try {
    // The lateness excuses the server's own lag in the rate limits (a move's cooldown, chat).
    events = command(now, server.load.lateness());
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    server.metrics.refused(error.code);
    client.send('error', { code: error.code, message: error.message });
    return;
  }
  effects.apply(events, now).catch(() => {
    if (unsavedMessage) client.send('error', { code: 'not_saved', message: unsavedMessage });
  });
}

/**
 * Who a connection is, with the token that proves a guest's clientId on later joins (none for a
 * signed-in player, whose own token proves it); undefined when it is nobody here.
 */
export function welcomeFor(round: SessionRound, guests: ClientIdentityService, connectionId: string): WelcomeMessage | undefined {
  const who = round.members.identityOf(connectionId);
  if (!who) return undefined;
  return { sessionId: round.sessionId, ...who, clientToken: isSignedInClientId(who.clientId) ? '' : guests.tokenFor(who.clientId) };
}

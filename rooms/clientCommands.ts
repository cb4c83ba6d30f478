import type { Config } from '../src/config.ts';
import { DomainError } from '../src/domainErrors.ts';
import { MAX_CHAT_LENGTH } from '../src/game/chatLine.ts';
import { CHAT_BURST, CHAT_REFILL_MS } from '../src/game/SessionChat.ts';
import type { RoundEvent } from '../src/game/roundEvents.ts';
import type { SessionRound } from '../src/game/SessionRound.ts';
import type { ClientIdentityService } from '../src/identity/ClientIdentityService.ts';
import { isSignedInClientId } from '../src/identity/playerIds.ts';
import type { ServerMetrics } from '../src/metrics/ServerMetrics.ts';
import type { EventLoopWatch } from '../src/overload/EventLoopWatch.ts';
import type { ClientLimits, LabyrinthClient, WelcomeMessage } from './labyrinthProtocol.ts';
import type { RoundEffects } from './RoundEffects.ts';
import type { RefuseMessage } from './validMessage.ts';

// What a client's messages get done in its room: a command on the round, a refusal, and the `whoami` answer.

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
    refuse(client, server.metrics, error.code, error.message);
    return;
  }
  effects.apply(events, now).catch(() => {
    if (unsavedMessage) client.send('error', { code: 'not_saved', message: unsavedMessage });
  });
}

/** Refuses a client's message: counted by its code (`labyrinth_refusals_total`) and answered with an `error`; the socket stays open. */
export function refuse(client: LabyrinthClient, metrics: ServerMetrics, code: string, message: string): void {
  metrics.refused(code);
  client.send('error', { code, message });
}

/**
 * A message of a type the room does not handle (a typo, a newer client's) is refused like a bad
 * payload, with `unknown_message`: Colyseus's default would close the socket (4002).
 */
export function refuseUnknownMessage(client: LabyrinthClient, type: string | number, known: readonly string[], refuseMessage: RefuseMessage): void {
  // The type is the sender's text: quoted, and cut short, before it goes back into a message.
  const named = JSON.stringify(String(type).slice(0, 64));
  refuseMessage(client, 'unknown_message', `Unknown message type ${named}: this room takes ${known.join(', ')}`);
}

/** What the transport enforces on every room socket (src/http/edge/createTransport.ts), handed over by src/app.ts. */
export type SocketLimits = Pick<ClientLimits, 'messagesPerSecond' | 'maxMessageBytes'>;

/**
 * Who a connection is, with the token that proves a guest's clientId on later joins (none for a
 * signed-in player, whose own token proves it) and the limits; undefined when it is nobody here.
 */
export function welcomeFor(
  round: SessionRound,
  server: { accounts: { guests: ClientIdentityService }; settings: Config['room']; socketLimits: SocketLimits },
  connectionId: string,
): WelcomeMessage | undefined {
  const who = round.members.identityOf(connectionId);
  if (!who) return undefined;
  // Every number a client must keep to, from the settings and the constants that enforce them.
  const limits: ClientLimits = {
    moveCooldownMs: server.settings.moveCooldownMs,
    ...server.socketLimits,
    chatMaxLength: MAX_CHAT_LENGTH,
    chatBurst: CHAT_BURST,
    chatRefillMs: CHAT_REFILL_MS,
  };
  const clientToken = isSignedInClientId(who.clientId) ? '' : server.accounts.guests.tokenFor(who.clientId);
  return { sessionId: round.sessionId, ...who, clientToken, limits };
}

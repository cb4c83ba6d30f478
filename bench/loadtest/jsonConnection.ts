import type { BaselineClientMessage, BaselineServerMessage } from '../baselines/baselineProtocol.ts';
import { JoinError, type BotMessage, type ConnectionEvents, type GameConnection } from './GameTransport.ts';
import { JsonGameView } from './JsonGameView.ts';

/** How long a deliberate leave may take before the bot stops waiting for it. */
const LEAVE_TIMEOUT_MS = 3000;

/** What a JSON transport (raw ws, Socket.IO) does with its own socket. */
export type JsonSocket = {
  send(message: BaselineClientMessage): void;
  /** Closes the socket; `closed` is then reported through `socketClosed`. */
  close(): void;
};

/**
 * The part of a baseline connection that does not depend on the socket library: the state kept
 * from the server's JSON messages, events for the bot, and when the join counts as done (the
 * snapshot shows the client seated, as with Colyseus).
 */
export function jsonConnection(clientId: string, events: ConnectionEvents, socket: JsonSocket) {
  const view = new JsonGameView();
  let stage: 'joining' | 'joined' | 'refused' = 'joining';
  let settle!: { resolve(): void; reject(error: Error): void };
  const seated = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  let closed!: () => void;
  const closing = new Promise<void>((resolve) => (closed = resolve));
  const refuseJoin = (error: JoinError) => {
    stage = 'refused';
    settle.reject(error);
  };

  const connection: GameConnection = {
    view: () => (view.synced ? view : undefined),
    send: (message: BotMessage) => socket.send({ t: message.type, ...message.payload } as BaselineClientMessage),
    async leave() {
      socket.close();
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS))]);
    },
  };

  return {
    connection,
    /** Resolves once the server has seated the client (its snapshot lists it). */
    seated,
    serverMessage(message: BaselineServerMessage): void {
      if (stage === 'refused') return;
      events.received();
      if (message.t === 'error') {
        if (stage === 'joining') refuseJoin(new JoinError(message.code, message.message));
        else events.refused(message.code);
        return;
      }
      if (!view.apply(message)) return;
      if (stage === 'joining' && view.players.has(clientId)) {
        stage = 'joined';
        settle.resolve();
      }
      if (stage === 'joined') events.stateChanged(view);
    },
    socketClosed(code: number | string): void {
      closed();
      if (stage === 'joining') refuseJoin(new JoinError(code, `closed before joining (${code})`));
      else if (stage === 'joined') events.closed(code);
    },
  };
}

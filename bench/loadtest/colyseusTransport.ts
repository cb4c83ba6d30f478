// This project's server through the official SDK, as a game would use it (docs/protocol.md).
import { Client, type Room } from '@colyseus/sdk';
import { JoinError, type ConnectionEvents, type GameConnection, type GameTransport, type GameView, type JoinRequest } from './GameTransport.ts';

/** How long a deliberate leave may take before the bot stops waiting for it. */
const LEAVE_TIMEOUT_MS = 3000;

/** The room's state is read through the SDK's decoded schema, which has the GameView shape. */
const viewOf = (room: Room) => room.state as unknown as GameView | undefined;

async function join({ url, sessionId, clientId, name }: JoinRequest, events: ConnectionEvents): Promise<GameConnection> {
  let room: Room;
  try {
    room = await new Client(url).joinOrCreate('labyrinth', { sessionId, clientId, name });
  } catch (error) {
    const { code, message } = error as { code?: number | string; message?: string };
    throw new JoinError(code ?? 'network', message ?? String(error));
  }
  room.onMessage('chat', () => events.received());
  room.onMessage('error', ({ code }: { code: string }) => {
    events.received();
    events.refused(code);
  });
  room.onDrop((code) => events.dropped(code));
  // Every frame from here on, as sent (the first full state arrived before the join resolved).
  const socket = (room.connection.transport as unknown as { ws: { addEventListener(type: 'message', listener: (event: { data: ArrayBuffer }) => void): void } })
    .ws;
  socket.addEventListener('message', (event) => events.bytesReceived(event.data.byteLength));
  room.onReconnect(() => events.reconnected());

  // Joined means seated: the time runs until the client's own state shows it among the players.
  let seated = false;
  await new Promise<void>((resolve, reject) => {
    room.onLeave((code) => {
      if (seated) events.closed(code);
      else reject(new JoinError(code, `closed before the state showed the client (${code})`));
    });
    const check = () => {
      const view = viewOf(room);
      if (!seated && view?.players?.get(clientId)) {
        seated = true;
        resolve();
      }
    };
    room.onStateChange(() => {
      events.received();
      check();
      if (seated) events.stateChanged(viewOf(room)!);
    });
    check();
  });

  return {
    view: () => viewOf(room),
    send: (message) => room.send(message.type, message.payload),
    async leave() {
      room.reconnection.enabled = false;
      await Promise.race([room.leave(true).catch(() => undefined), new Promise((resolve) => setTimeout(resolve, LEAVE_TIMEOUT_MS))]);
      room.removeAllListeners();
    },
  };
}

export const colyseusTransport: GameTransport = { name: 'colyseus', join };

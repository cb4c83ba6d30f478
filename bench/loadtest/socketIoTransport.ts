// The Socket.IO 4 baseline (bench/baselines/socketIoServer.ts): WebSocket transport only, one
// connection per client (no multiplexing), JSON events named `m` both ways.
import { io } from 'socket.io-client';
import type { BaselineJoinQuery, BaselineServerMessage } from '../baselines/baselineProtocol.ts';
import type { ConnectionEvents, GameConnection, GameTransport, JoinRequest } from './GameTransport.ts';
import { jsonConnection } from './jsonConnection.ts';

async function join({ url, sessionId, clientId, name }: JoinRequest, events: ConnectionEvents): Promise<GameConnection> {
  const query: BaselineJoinQuery = { sessionId, clientId, name };
  // A bot does not reconnect: a drop is counted as a close, with Socket.IO's reason as its code.
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, query });
  const json = jsonConnection(clientId, events, {
    send: (message) => socket.emit('m', message),
    close: () => socket.disconnect(),
  });
  socket.on('m', (message: BaselineServerMessage) => json.serverMessage(message));
  socket.on('disconnect', (reason) => json.socketClosed(reason));
  socket.on('connect_error', (error) => json.socketClosed(`connect_error: ${error.message}`));
  try {
    await json.seated;
  } catch (error) {
    socket.disconnect();
    throw error;
  }
  return json.connection;
}

export const socketIoTransport: GameTransport = { name: 'socketio', join };

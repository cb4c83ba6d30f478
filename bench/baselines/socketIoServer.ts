// The Socket.IO 4 baseline: `PORT=2731 node bench/baselines/socketIoServer.ts`. WebSocket transport
// only; the handshake query carries sessionId, clientId and name; each session is a Socket.IO room
// and a broadcast is `io.to(sessionId).emit('m', message)`.
import { Server } from 'socket.io';
import type { BaselineClientMessage, BaselineJoinQuery } from './baselineProtocol.ts';
import { BaselineServer, baselineRulesFromEnvironment, listen } from './BaselineServer.ts';

const server = new BaselineServer(baselineRulesFromEnvironment(), (sessionId, message) => io.to(sessionId).emit('m', message));
const io: Server = new Server(server.http, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const query = socket.handshake.query as Partial<BaselineJoinQuery>;
  // In the room before the server seats the client, so that it receives its own join.
  if (query.sessionId) void socket.join(query.sessionId);
  const joined = server.join(query, { send: (message) => socket.emit('m', message), close: () => socket.disconnect(true) });
  if (!joined) return;
  socket.on('m', (message: BaselineClientMessage) => joined.message(message));
  socket.on('disconnect', () => joined.closed());
});

listen(server, 'socket.io');

// The raw `ws` baseline: `PORT=2730 node bench/baselines/wsServer.ts`. Clients connect to
// /ws?sessionId=…&clientId=…&name=…; a broadcast serialises the message once and writes it to each
// socket of the room.
import { WebSocketServer, type WebSocket } from 'ws';
import type { BaselineClientMessage } from './baselineProtocol.ts';
import { BaselineServer, baselineRulesFromEnvironment, listen } from './BaselineServer.ts';

const roomSockets = new Map<string, Set<WebSocket>>();
const server = new BaselineServer(baselineRulesFromEnvironment(), (sessionId, message) => {
  const data = JSON.stringify(message);
  for (const socket of roomSockets.get(sessionId) ?? []) socket.send(data);
});

new WebSocketServer({ server: server.http, path: '/ws' }).on('connection', (socket, req) => {
  const query = Object.fromEntries(new URL(req.url ?? '', 'http://localhost').searchParams);
  const sessionId = query.sessionId ?? '';
  // In the room before the server seats the client, so that it receives its own join.
  const members = roomSockets.get(sessionId) ?? new Set<WebSocket>();
  members.add(socket);
  roomSockets.set(sessionId, members);
  const leaveRoom = () => {
    members.delete(socket);
    if (members.size === 0) roomSockets.delete(sessionId);
  };
  const joined = server.join(query, { send: (message) => socket.send(JSON.stringify(message)), close: () => socket.close() });
  if (!joined) return leaveRoom();
  socket.on('message', (data) => joined.message(JSON.parse((data as Buffer).toString()) as BaselineClientMessage));
  socket.on('close', () => {
    leaveRoom();
    joined.closed();
  });
});

listen(server, 'ws');

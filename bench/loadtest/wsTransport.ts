// The raw `ws` baseline (bench/baselines/wsServer.ts): one WebSocket per client, JSON both ways.
import { WebSocket } from 'ws';
import type { BaselineJoinQuery, BaselineServerMessage } from '../baselines/baselineProtocol.ts';
import { JoinError, type ConnectionEvents, type GameConnection, type GameTransport, type JoinRequest } from './GameTransport.ts';
import { jsonConnection } from './jsonConnection.ts';

async function join({ url, sessionId, clientId, name }: JoinRequest, events: ConnectionEvents): Promise<GameConnection> {
  const query: BaselineJoinQuery = { sessionId, clientId, name };
  const socketUrl = `${url.replace(/^http/, 'ws')}/ws?${new URLSearchParams(query)}`;
  const socket = new WebSocket(socketUrl);
  const json = jsonConnection(clientId, events, {
    send: (message) => socket.send(JSON.stringify(message)),
    close: () => socket.close(1000),
  });
  socket.on('message', (data) => json.serverMessage(JSON.parse((data as Buffer).toString()) as BaselineServerMessage));
  socket.on('close', (code) => json.socketClosed(code));
  // An error is followed by 'close', which settles the join; only the cause is kept here.
  let cause: Error | undefined;
  socket.on('error', (error) => (cause = error));
  try {
    await json.seated;
  } catch (error) {
    socket.terminate();
    // A socket that never opened closes with 1006: report why it failed instead.
    throw cause && error instanceof JoinError && error.code === '1006' ? new JoinError('network', cause.message) : error;
  }
  return json.connection;
}

export const wsTransport: GameTransport = { name: 'ws', join };

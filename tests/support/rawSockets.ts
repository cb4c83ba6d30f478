import WebSocket from 'ws';
import { TEST_BASE_URL, TEST_WS_URL } from './testServer.ts';

/** How an upgrade ended: opened (the socket, to close), or refused with a status and a body. */
export type UpgradeOutcome = { opened: WebSocket } | { status: number; body: string; headers: Record<string, string | string[] | undefined> };

/** Opens a plain WebSocket (as a browser page of `origin` would, when given) and reports the outcome. */
export function openSocket(url: string, origin?: string): Promise<UpgradeOutcome> {
  const socket = new WebSocket(url, origin ? { origin } : {});
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ opened: socket }));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    socket.once('error', reject);
  });
}

/** A seat reservation in a session's room, made over HTTP as the SDK does, and the room socket URL it leads to. */
export async function reserveSeat(sessionId: string, clientId: string, headers: Record<string, string> = {}): Promise<{ status: number; url?: string }> {
  const response = await fetch(`${TEST_BASE_URL}/matchmake/joinOrCreate/labyrinth`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ sessionId, clientId }),
  });
  if (response.status !== 200) return { status: response.status };
  const reservation = (await response.json()) as { processId: string; roomId: string; sessionId: string };
  return { status: 200, url: `${TEST_WS_URL}/${reservation.processId}/${reservation.roomId}?sessionId=${reservation.sessionId}` };
}

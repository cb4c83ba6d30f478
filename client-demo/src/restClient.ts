import type { EntitySummary } from '../../src/content/ContentService.ts';
import type { Maze } from '../../src/maze/generateMaze.ts';
import type { LiveRoom } from '../../rooms/SessionRooms.ts';
import type { SessionPage } from '../../src/sessions/sessionViews.ts';
import type { DisclosedSession } from '../../src/http/rest/sessionDisclosure.ts';
import type { sessionRequest } from '../../src/http/rest/restApiSchemas.ts';
import type { z } from 'zod';
import type { LogEntry } from '../../src/game/roundLog.ts';

/** What a server type looks like after JSON.stringify: dates arrive as ISO strings. */
type OverJson<T> = T extends Date ? string : T extends (infer U)[] ? OverJson<U>[] : T extends object ? { [K in keyof T]: OverJson<T[K]> } : T;

export type SessionListItem = OverJson<DisclosedSession> & { live: LiveRoom | null };
export type SessionList = Omit<OverJson<SessionPage>, 'sessions'> & { sessions: SessionListItem[] };
export type Session = OverJson<DisclosedSession>;
/** An audit trail entry as the API sends it (`at` an ISO date). */
export type SessionEventEntry = Omit<LogEntry, 'at'> & { at: string };
export type MazePreview = Maze;
export type CharacterSummary = OverJson<EntitySummary>;
/** The body of `POST /api/sessions` (size, seed, fog, maxPlayers, visibility, …). */
export type SessionRequest = z.input<typeof sessionRequest>;

/** A refused request, with the server's error code and the input field it names (if any). */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;

  constructor(status: number, code: string, message: string, field?: string) {
    super(field ? `${message} (field: ${field})` : message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

/** The REST API under /api, as docs/http-api.md documents it. */
export const restClient = {
  previewMaze: (size: number, seed?: string) => call<MazePreview>('POST', '/api/labyrinths/preview', { body: { size, seed } }),
  listSessions: () => call<SessionList>('GET', '/api/sessions?limit=50'),
  createSession: (request: SessionRequest) => call<Session>('POST', '/api/sessions', { body: request }),
  session: (sessionId: string) => call<Session>('GET', `/api/sessions/${encodeURIComponent(sessionId)}`),
  sessionEvents: (sessionId: string, after: number) =>
    call<{ events: SessionEventEntry[]; more: boolean }>('GET', `/api/sessions/${encodeURIComponent(sessionId)}/events?after=${after}&limit=1000`),
  characters: () => call<{ entities: CharacterSummary[] }>('GET', '/api/entities?type=player'),
  deleteSession: (sessionId: string, adminPassword: string) => call<void>('DELETE', `/api/sessions/${encodeURIComponent(sessionId)}`, { adminPassword }),
  deleteAllSessions: (adminPassword: string) => call<{ deleted: number }>('DELETE', '/api/sessions', { adminPassword }),
};

async function call<T>(method: string, path: string, options: { body?: unknown; adminPassword?: string } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.adminPassword !== undefined) headers.authorization = `Bearer ${options.adminPassword}`;
  const response = await fetch(path, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  if (response.status === 204) return undefined as T;
  const payload: unknown = await response.json().catch(() => undefined);
  if (!response.ok) {
    const error = (payload as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `${method} ${path} failed with HTTP ${response.status}`, error?.field);
  }
  return payload as T;
}

// What a bot needs from a game server, whatever carries it: the real Colyseus SDK against this
// project's server, or a plain JSON protocol over raw `ws` or Socket.IO against the baselines in
// bench/baselines/. The bots see the same state shape and send the same messages on all three, so
// one harness and one set of bots measure all of them.

/** One seated player as every client of the room sees it. */
/** `x`/`y` are undefined while the player is out of the viewer's sight (a session with `fog: "player"`). */
export type PlayerView = { ready: boolean; x: number | undefined; y: number | undefined; characterId: string };

/** A tile somebody has seen (the fog of war): what a player may walk by. */
export type RevealedTileView = { openDirections: { includes(side: string): boolean }; exit: boolean };

/** Keyed lookups: a Colyseus MapSchema and a plain Map both fit. */
export type Lookup<V> = {
  get(key: string): V | undefined;
  readonly size: number;
  forEach(callback: (value: V, key: string) => void): void;
  values(): Iterator<V>;
};

/** The synced state a bot reads (a subset of the room state documented in docs/protocol.md). */
export type GameView = {
  phase: string;
  round: number;
  winner: string;
  players: Lookup<PlayerView>;
  revealed: Lookup<RevealedTileView>;
};

/** Client → server messages of the room protocol that bots send. */
export type BotMessage =
  | { type: 'ready'; payload: { ready: boolean } }
  | { type: 'pick_character'; payload: { entityId: string } }
  | { type: 'move'; payload: { dir: 'N' | 'E' | 'S' | 'W' } }
  | { type: 'chat'; payload: { text: string } }
  | { type: 'new_round'; payload: Record<string, never> };

/** What happens to a connection, reported to the bot that holds it. */
export type ConnectionEvents = {
  /** The synced state changed (after a patch, or a JSON update on the baselines). */
  stateChanged(view: GameView): void;
  /** The server refused a message (`error` with a code). */
  refused(code: string): void;
  /** Any message or patch arrived (counted for messages per second). */
  received(): void;
  /** Bytes arrived on the socket (the Colyseus transport reports its frames; the baselines do not). */
  bytesReceived(count: number): void;
  /** The socket dropped; the transport may be reconnecting. */
  dropped(code: number | string): void;
  reconnected(): void;
  /** The connection is over; `code` is the close code (or Socket.IO's reason). */
  closed(code: number | string): void;
};

export type GameConnection = {
  /** The state as last synced, or undefined before the first one. */
  view(): GameView | undefined;
  send(message: BotMessage): void;
  /** A deliberate leave; resolves once the socket is closed (or after a short wait). */
  leave(): Promise<void>;
};

export type JoinRequest = { url: string; sessionId: string; clientId: string; name: string };

/** A way to reach a game server: `join` resolves once the server has the client in the room. */
export type GameTransport = {
  readonly name: TransportName;
  join(request: JoinRequest, events: ConnectionEvents): Promise<GameConnection>;
};

export const TRANSPORT_NAMES = ['colyseus', 'ws', 'socketio'] as const;
export type TransportName = (typeof TRANSPORT_NAMES)[number];

/** A refused join, with the code the server gave (HTTP-like for Colyseus, a string otherwise). */
export class JoinError extends Error {
  override name = 'JoinError';
  readonly code: string;
  constructor(code: number | string, message: string) {
    super(message);
    this.code = String(code);
  }
}

// The JSON protocol of the baseline servers (raw ws and Socket.IO): what a developer would write by
// hand instead of a synced state. Every change is broadcast at once to the room's sockets as one
// JSON message; a joining client gets a snapshot. The bots read it through the same GameView as the
// Colyseus state (bench/loadtest/jsonGameView.ts).

export type BaselinePlayer = { clientId: string; ready: boolean; x: number; y: number; characterId: string };
export type BaselineTile = { key: string; openDirections: string[]; exit: boolean };
export type BaselineRound = { phase: string; round: number; winner: string };

/** Server → client. */
export type BaselineServerMessage =
  | ({ t: 'snapshot'; players: BaselinePlayer[]; revealed: BaselineTile[] } & BaselineRound)
  | { t: 'player'; player: BaselinePlayer }
  | { t: 'left'; clientId: string }
  | ({ t: 'round' } & BaselineRound)
  | { t: 'revealed'; tiles: BaselineTile[] }
  | { t: 'chat'; from: string; text: string }
  | { t: 'error'; code: string; message: string };

/** Client → server: the room protocol's messages, `{t: type, ...payload}`. */
export type BaselineClientMessage =
  { t: 'ready'; ready: boolean } | { t: 'move'; dir: string } | { t: 'chat'; text: string } | { t: 'new_round' } | { t: 'pick_character'; entityId: string };

/** Query parameters of the WebSocket URL (ws) or the handshake (Socket.IO). */
export type BaselineJoinQuery = { sessionId: string; clientId: string; name: string };

import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import { isExit, tileAt, tryMove, type Cell } from '../../src/game/moveRules.ts';
import { TokenBuckets } from '../../src/game/TokenBuckets.ts';
import { isDirection } from '../../src/maze/directions.ts';
import { generateMaze, type Maze } from '../../src/maze/generateMaze.ts';
import { newMazeSeed } from '../../src/maze/newMazeSeed.ts';
import { allPlayersReady } from '../../src/game/readiness.ts';
import type { BaselineClientMessage, BaselinePlayer, BaselineServerMessage, BaselineTile } from './baselineProtocol.ts';

/** How a room reaches its sockets: the only part that differs between raw ws and Socket.IO. */
export type RoomSockets = {
  broadcast(message: BaselineServerMessage): void;
  send(clientId: string, message: BaselineServerMessage): void;
};

export type BaselineRules = { countdownMs: number; moveCooldownMs: number };

/**
 * One room of a baseline server: the same game as the labyrinth room (readiness, countdown, moves
 * checked against the maze with the project's pure rules, fog of war, a winner, new rounds), kept
 * in memory only, and every change broadcast at once as JSON. What a developer would write by hand
 * on a plain socket library; no database, no synced state.
 */
export class BaselineRoom {
  readonly #sockets: RoomSockets;
  readonly #rules: BaselineRules;
  readonly #players = new Map<string, BaselinePlayer>();
  readonly #revealed = new Map<string, BaselineTile>();
  readonly #moveLimits: TokenBuckets;
  readonly #chatLimits = new TokenBuckets({ capacity: 5, refillMs: 1000 });
  #maze: Maze;
  #phase = 'lobby';
  #round = 1;
  #winner = '';
  #countdown: NodeJS.Timeout | undefined;

  constructor(size: number, seed: string, rules: BaselineRules, sockets: RoomSockets) {
    this.#maze = generateMaze(size, seed);
    this.#rules = rules;
    this.#sockets = sockets;
    this.#moveLimits = new TokenBuckets({ capacity: 1, refillMs: rules.moveCooldownMs });
  }

  get empty(): boolean {
    return this.#players.size === 0;
  }

  /** Seats a client (in the lobby at the start cell), sends it the snapshot and tells the others. */
  join(clientId: string): void {
    const player = { clientId, ready: false, x: this.#maze.startX, y: this.#maze.startY, characterId: '' };
    this.#players.set(clientId, player);
    this.#sockets.send(clientId, this.#snapshot());
    this.#sockets.broadcast({ t: 'player', player });
    this.#afterReadinessChange();
  }

  leave(clientId: string): void {
    if (!this.#players.delete(clientId)) return;
    this.#sockets.broadcast({ t: 'left', clientId });
    this.#afterReadinessChange();
  }

  handle(clientId: string, message: BaselineClientMessage): void {
    const player = this.#players.get(clientId);
    if (!player) return;
    switch (message.t) {
      case 'ready':
        return this.#setReady(player, message.ready === true);
      case 'move':
        return this.#move(player, message.dir);
      case 'chat':
        if (!this.#chatLimits.take(clientId, Date.now())) return this.#refuse(clientId, 'chat_rate_limited');
        return this.#sockets.broadcast({ t: 'chat', from: clientId, text: String(message.text).slice(0, 200) });
      case 'new_round':
        return this.#newRound(clientId);
      // The baseline plays without characters (as the bench's bots do).
      case 'pick_character':
        return;
      default:
        return this.#refuse(clientId, 'invalid_message');
    }
  }

  #setReady(player: BaselinePlayer, ready: boolean): void {
    if (this.#phase !== 'lobby' && this.#phase !== 'countdown') return this.#refuse(player.clientId, 'wrong_phase');
    if (player.ready === ready) return;
    player.ready = ready;
    this.#sockets.broadcast({ t: 'player', player });
    this.#afterReadinessChange();
  }

  #afterReadinessChange(): void {
    const allReady = allPlayersReady(this.#players.values());
    if (this.#phase === 'lobby' && allReady) {
      this.#setPhase('countdown');
      this.#countdown = setTimeout(() => this.#startPlaying(), this.#rules.countdownMs);
    } else if (this.#phase === 'countdown' && !allReady) {
      clearTimeout(this.#countdown);
      this.#setPhase('lobby');
    }
  }

  #startPlaying(): void {
    this.#phase = 'playing';
    const start = { x: this.#maze.startX, y: this.#maze.startY };
    for (const player of this.#players.values()) Object.assign(player, start);
    this.#reveal(start);
    this.#sockets.broadcast(this.#snapshot());
  }

  #move(player: BaselinePlayer, direction: unknown): void {
    if (!isDirection(direction)) return this.#refuse(player.clientId, 'invalid_message');
    if (this.#phase !== 'playing') return this.#refuse(player.clientId, 'wrong_phase');
    const move = tryMove(this.#maze, player, direction);
    if (!move.ok) return this.#refuse(player.clientId, move.reason);
    if (!this.#moveLimits.take(player.clientId, Date.now())) return this.#refuse(player.clientId, 'too_fast');
    Object.assign(player, move.to);
    this.#sockets.broadcast({ t: 'player', player });
    const tiles = this.#reveal(move.to);
    if (tiles.length > 0) this.#sockets.broadcast({ t: 'revealed', tiles });
    if (isExit(this.#maze, move.to)) {
      this.#winner = player.clientId;
      this.#setPhase('finished');
    }
  }

  #newRound(clientId: string): void {
    if (this.#phase !== 'finished') return this.#refuse(clientId, 'wrong_phase');
    this.#maze = generateMaze(this.#maze.size, newMazeSeed());
    this.#phase = 'lobby';
    this.#round += 1;
    this.#winner = '';
    this.#revealed.clear();
    for (const player of this.#players.values()) Object.assign(player, { ready: false, x: this.#maze.startX, y: this.#maze.startY });
    this.#sockets.broadcast(this.#snapshot());
  }

  /** Reveals what a player on `cell` sees; returns the newly revealed tiles. */
  #reveal(cell: Cell): BaselineTile[] {
    const tiles: BaselineTile[] = [];
    for (const seen of cellsSeenFrom(this.#maze, cell)) {
      const key = cellKey(seen);
      const tile = tileAt(this.#maze, seen);
      if (!tile || this.#revealed.has(key)) continue;
      const revealed = { key, openDirections: tile.openDirections, exit: isExit(this.#maze, seen) };
      this.#revealed.set(key, revealed);
      tiles.push(revealed);
    }
    return tiles;
  }

  #setPhase(phase: string): void {
    this.#phase = phase;
    this.#sockets.broadcast({ t: 'round', phase, round: this.#round, winner: this.#winner });
  }

  #snapshot(): BaselineServerMessage {
    return {
      t: 'snapshot',
      phase: this.#phase,
      round: this.#round,
      winner: this.#winner,
      players: [...this.#players.values()],
      revealed: [...this.#revealed.values()],
    };
  }

  #refuse(clientId: string, code: string): void {
    this.#sockets.send(clientId, { t: 'error', code, message: code });
  }
}

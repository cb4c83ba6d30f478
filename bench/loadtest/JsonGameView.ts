import type { BaselinePlayer, BaselineServerMessage, BaselineTile } from '../baselines/baselineProtocol.ts';
import type { GameView } from './GameTransport.ts';

/**
 * A client's copy of a baseline room's state, kept up to date from the JSON messages the baseline
 * servers broadcast: the counterpart of the state the Colyseus SDK decodes from patches.
 */
export class JsonGameView implements GameView {
  phase = 'lobby';
  round = 0;
  winner = '';
  readonly players = new Map<string, BaselinePlayer>();
  readonly revealed = new Map<string, BaselineTile>();
  /** True once the first snapshot has arrived. */
  synced = false;

  /** Applies one message; true when it changed the state (a refusal or a chat line does not). */
  apply(message: BaselineServerMessage): boolean {
    switch (message.t) {
      case 'snapshot':
        this.#setRound(message);
        this.players.clear();
        for (const player of message.players) this.players.set(player.clientId, player);
        this.revealed.clear();
        this.#reveal(message.revealed);
        this.synced = true;
        return true;
      case 'player':
        this.players.set(message.player.clientId, message.player);
        return true;
      case 'left':
        return this.players.delete(message.clientId);
      case 'round':
        this.#setRound(message);
        return true;
      case 'revealed':
        this.#reveal(message.tiles);
        return true;
      case 'chat':
      case 'error':
        return false;
      default:
        message satisfies never;
        return false;
    }
  }

  #setRound({ phase, round, winner }: { phase: string; round: number; winner: string }): void {
    this.phase = phase;
    this.round = round;
    this.winner = winner;
  }

  #reveal(tiles: BaselineTile[]): void {
    for (const tile of tiles) this.revealed.set(tile.key, tile);
  }
}

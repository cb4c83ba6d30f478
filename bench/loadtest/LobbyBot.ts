import type { GameView, PlayerView } from './GameTransport.ts';
import { Bot } from './Bot.ts';

/**
 * A player waiting in the lobby who toggles readiness about once a tick (the load tool's lobby
 * workload). The room's first bot never gets ready, so the room stays in the lobby instead of
 * starting a round.
 */
export class LobbyBot extends Bot {
  protected override tick(view: GameView, me: PlayerView): void {
    if (this.seat === 0 || (view.phase !== 'lobby' && view.phase !== 'countdown')) return;
    const ready = !me.ready;
    this.sendChange({ type: 'ready', payload: { ready } }, (player) => player.ready === ready);
  }
}

import { StateView, type Schema } from '@colyseus/schema';
import { cellKey, cellsSeenFrom } from '../../src/game/fogOfWar.ts';
import type { Cell } from '../../src/game/moveRules.ts';
import type { RoundEvent } from '../../src/game/roundEvents.ts';
import type { SessionRound } from '../../src/game/SessionRound.ts';
import type { LabyrinthState } from './LabyrinthState.ts';

/** Who a connection is, as far as what it may see goes. */
export type Viewer = { connectionId: string; clientId: string; spectator: boolean };
/** Clients that always see the same, and so share one view. */
type Audience = 'team' | 'spectators';

/**
 * What each client's synced state holds, filtered by the encoder per client (Colyseus StateView):
 * players' positions and revealed tiles are view-tagged fields (LabyrinthState.ts). A client that may
 * know everything has every position and revealed tile in its view: a player of a `team` fog session,
 * a spectator of an `everything` session, and everyone once a round is finished. Otherwise its view
 * holds its own player, the tiles its player has seen, and the other players while they stand where
 * its player sees (fog `player`); a spectator of an `after_round` session sees neither until the end.
 *
 * Items are added one by one rather than through `StateView.subscribe()`: with @colyseus/schema
 * 5.0.34 a tile added to a subscribed map reaches the client without its `openDirections`.
 *
 * Clients that always see the same share one view: the players of a `team` fog session (they know
 * everything in every phase), and a session's spectators (what they see depends on the phase and
 * the session's spectator setting alone). Colyseus encodes a patch once per distinct view, so the
 * room encodes its view fields once per audience instead of once per client, and keeps one view's
 * bookkeeping. Only they share: a client that switched view mid-session would miss what the other
 * view already held.
 */
export class RoundViews {
  readonly #state: LabyrinthState;
  readonly #round: SessionRound;
  readonly #views = new Map<string, { viewer: Viewer; view: StateView; everything: boolean }>();
  /** The views shared by an audience (see `#audienceOf`), while any of its clients is connected. */
  readonly #shared = new Map<Audience, StateView>();

  constructor(state: LabyrinthState, round: SessionRound) {
    this.#state = state;
    this.#round = round;
  }

  /** Gives a joining client its view. */
  open(viewer: Viewer): StateView {
    const audience = this.#audienceOf(viewer);
    const view = audience ? this.#sharedView(audience) : new StateView();
    const entry = { viewer, view, everything: false };
    this.#views.set(viewer.connectionId, entry);
    this.#refill(entry);
    return entry.view;
  }

  close(connectionId: string): void {
    const entry = this.#views.get(connectionId);
    this.#views.delete(connectionId);
    if (!entry || this.#inUse(entry.view)) return;
    const audience = this.#audienceOf(entry.viewer);
    if (audience) this.#shared.delete(audience);
    entry.view.dispose();
  }

  /** Brings the views up to date after `events` (already shown in the state). */
  update(events: readonly RoundEvent[]): void {
    for (const event of events) {
      switch (event.type) {
        case 'player_moved':
          this.#afterMove(event.clientId, event.seen, event.revealed);
          break;
        case 'player_joined':
        case 'round_started':
        case 'round_finished':
        case 'new_round':
          for (const entry of this.#views.values()) this.#refill(entry);
          break;
        // None of these changes who sees which player or tile (a freed seat's player is deleted
        // from the state itself; spectators, readiness, characters and chat are seen by all).
        case 'seat_taken_over':
        case 'player_dropped':
        case 'player_reconnected':
        case 'player_left':
        case 'player_kicked':
        case 'spectator_joined':
        case 'spectator_left':
        case 'ready_changed':
        case 'countdown_started':
        case 'countdown_cancelled':
        case 'character_picked':
        case 'chat_said':
          break;
        default:
          event satisfies never;
      }
    }
  }

  /** The audience whose view a viewer shares, if any. */
  #audienceOf(viewer: Viewer): Audience | undefined {
    if (viewer.spectator) return 'spectators';
    return this.#round.fog === 'team' ? 'team' : undefined;
  }

  #sharedView(audience: Audience): StateView {
    let view = this.#shared.get(audience);
    if (!view) {
      view = new StateView();
      this.#shared.set(audience, view);
    }
    return view;
  }

  #inUse(view: StateView): boolean {
    for (const entry of this.#views.values()) if (entry.view === view) return true;
    return false;
  }

  /** Whether a viewer may know everything now. */
  #knowsEverything(viewer: Viewer): boolean {
    const round = this.#round;
    if (round.phase === 'finished') return true;
    if (viewer.spectator) return round.spectatorView === 'everything';
    return round.fog === 'team';
  }

  /** Whether `viewer` (a player, fog `player`) sees `other` now: before play everyone is on the start. */
  #sees(viewerId: string, otherId: string): boolean {
    if (viewerId === otherId || this.#round.phase !== 'playing') return true;
    const seats = this.#round.members.seats;
    const viewer = seats.get(viewerId);
    const other = seats.get(otherId);
    return !!viewer && !!other && cellsSeenFrom(this.#round.maze, viewer).some((cell) => cell.x === other.x && cell.y === other.y);
  }

  /** Sets a view for the current phase: who it may see, and the tiles it may know. */
  #refill(entry: { viewer: Viewer; view: StateView; everything: boolean }): void {
    const { viewer, view } = entry;
    entry.everything = this.#knowsEverything(viewer);
    const player = !viewer.spectator;
    for (const [clientId, state] of this.#state.players) this.#show(view, state, entry.everything || (player && this.#sees(viewer.clientId, clientId)));
    const tiles = entry.everything ? this.#state.revealed.keys() : player ? this.#round.knowledge.seenBy(viewer.clientId) : [];
    for (const key of tiles) this.#show(view, this.#state.revealed.get(key), true);
    // The map itself reaches a client with its first visible tile; an empty one is shown at once so
    // that clients find `revealed` in the lobby. (Adding a map with tiles would add every tile.)
    if (this.#state.revealed.size === 0 && !view.has(this.#state.revealed)) view.add(this.#state.revealed);
  }

  /** One player moved: the tiles it revealed, what its player now sees, and who sees whom. */
  #afterMove(moverId: string, seen: readonly Cell[], revealed: readonly Cell[]): void {
    const mover = this.#state.players.get(moverId);
    // Looked up once, not once per client.
    const revealedTiles = revealed.map((cell) => this.#state.revealed.get(cellKey(cell)));
    for (const { viewer, view, everything } of this.#views.values()) {
      if (everything) {
        for (const tile of revealedTiles) this.#show(view, tile, true);
      } else if (viewer.clientId === moverId && !viewer.spectator) {
        for (const cell of seen) this.#show(view, this.#state.revealed.get(cellKey(cell)), true);
        for (const [clientId, player] of this.#state.players) this.#show(view, player, this.#sees(moverId, clientId));
      } else if (!viewer.spectator) {
        this.#show(view, mover, this.#sees(viewer.clientId, moverId));
      }
    }
  }

  #show(view: StateView, item: Schema | undefined, visible: boolean): void {
    if (!item) return;
    if (visible && !view.has(item)) view.add(item);
    else if (!visible && view.has(item)) view.remove(item);
  }
}

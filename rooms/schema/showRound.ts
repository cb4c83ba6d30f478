import type { SessionRound } from '../../src/game/SessionRound.ts';
import type { RoundEvent } from '../../src/game/roundEvents.ts';
import { cellKey } from '../../src/game/fogOfWar.ts';
import { mazeIsPublished } from '../../src/game/mazeSecrecy.ts';
import { isExit, tileAt, type Cell } from '../../src/game/moveRules.ts';
import { isBot } from '../../src/game/botSeats.ts';
import { ChatLine, PlayerState, RevealedTile, SpectatorState, type LabyrinthState } from './LabyrinthState.ts';

// How the synced state shows a round: the round model (src/game/SessionRound.ts) holds the facts,
// and these functions copy them into the schema. Assigning an unchanged value to a schema field
// sends nothing, so copying a whole seat or the round's scalar fields costs only what changed.

/** Shows a whole round in a fresh state (when the room is created). */
export function showRound(state: LabyrinthState, round: SessionRound): void {
  for (const clientId of round.members.seats.keys()) showSeat(state, round, clientId);
  for (const [connectionId, spectator] of round.members.spectators) state.spectators.set(connectionId, new SpectatorState().assign(spectator));
  showTiles(
    state,
    round,
    round.maze.tiles.filter((tile) => round.knowledge.revealed.has(cellKey(tile))),
  );
  for (const line of round.chat.lines) state.chat.push(new ChatLine().assign(line));
  showRoundFields(state, round);
}

/** Shows what one event changed in the players, spectators, revealed tiles and chat. */
export function showRoundEvent(state: LabyrinthState, round: SessionRound, event: RoundEvent): void {
  switch (event.type) {
    case 'player_joined':
    case 'player_dropped':
    case 'player_reconnected':
    case 'ready_changed':
    case 'character_picked':
      showSeat(state, round, event.clientId);
      return;
    case 'player_moved':
      showSeat(state, round, event.clientId);
      showTiles(state, round, event.revealed);
      return;
    case 'player_left':
    case 'player_kicked':
      state.players.delete(event.clientId);
      return;
    case 'spectator_joined':
      state.spectators.set(event.connectionId, new SpectatorState().assign({ clientId: event.clientId, name: event.name }));
      return;
    case 'spectator_left':
      state.spectators.delete(event.connectionId);
      return;
    case 'round_started':
      for (const clientId of round.members.seats.keys()) showSeat(state, round, clientId);
      showTiles(state, round, event.revealed);
      return;
    case 'new_round':
      state.revealed.clear();
      for (const clientId of round.members.seats.keys()) showSeat(state, round, clientId);
      return;
    case 'chat_said':
      state.chat.push(new ChatLine().assign(event.line));
      while (state.chat.length > round.chat.lines.length) state.chat.shift();
      return;
    case 'seat_taken_over':
    case 'countdown_started':
    case 'countdown_cancelled':
    case 'round_finished':
      // These change only the round's fields (showRoundFields), or no seat at all (a seat taken
      // over keeps its player: the player_joined that comes with it shows the seat).
      return;
    default:
      event satisfies never;
  }
}

/** The round's own fields: phase, maze, times, winner, allReady. */
export function showRoundFields(state: LabyrinthState, round: SessionRound): void {
  state.assign({
    sessionId: round.sessionId,
    labyrinthId: round.labyrinthId,
    seed: mazeIsPublished(round.phase) ? round.maze.seed : '',
    fog: round.fog,
    size: round.maze.size,
    startX: round.maze.startX,
    startY: round.maze.startY,
    phase: round.phase,
    round: round.round,
    allReady: round.allReady,
    countdownEndsAt: round.countdownEndsAt,
    startedAt: round.startedAt,
    finishedAt: round.finishedAt,
    winner: round.winner?.clientId ?? '',
    winnerName: round.winner?.name ?? '',
  });
}

function showSeat(state: LabyrinthState, round: SessionRound, clientId: string): void {
  const seat = round.members.seats.get(clientId);
  if (!seat) return;
  let player = state.players.get(clientId);
  if (!player) {
    player = new PlayerState();
    state.players.set(clientId, player);
  }
  const { character, ...fields } = seat;
  player.assign({
    ...fields,
    bot: isBot(clientId),
    characterId: character?.id ?? '',
    characterName: character?.name ?? '',
    characterRole: character?.role ?? '',
  });
}

function showTiles(state: LabyrinthState, round: SessionRound, cells: readonly Cell[]): void {
  for (const cell of cells) {
    const tile = tileAt(round.maze, cell);
    if (!tile) continue;
    const { x, y, type, openDirections, image } = tile;
    state.revealed.set(cellKey(cell), new RevealedTile().assign({ x, y, type, openDirections: [...openDirections], image, exit: isExit(round.maze, cell) }));
  }
}

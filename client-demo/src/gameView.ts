import { hasFinishedRound } from '../../src/game/phase.ts';
import type { LabyrinthState, PlayerView } from './labyrinthServer.ts';
import { MazeGrid, tokenElement } from './mazeGrid.ts';
import { element, scrollToTop } from './pageElement.ts';
import { PhaseLine } from './phaseLine.ts';
import { playerToken } from './playerToken.ts';
import type { CharacterSummary } from './restClient.ts';
import { shortId } from './shortId.ts';

/** Draws one session's synced state: the title, phase, players, controls, board and chat. */
export class GameView {
  readonly #phase = new PhaseLine(element('phase'));
  #grid: MazeGrid | undefined;
  #gridLabyrinthId = '';
  /** Where this client's player stood at the last render: a step clears the last refusal shown. */
  #myCell = '';
  /** The phase at the last render: a round starting brings the board back into view. */
  #shownPhase = '';

  /** A room was joined: the game shows, in view, and its maze gets a grid of its own. */
  open(): void {
    this.#gridLabyrinthId = '';
    this.#shownPhase = '';
    element('game').hidden = false;
    scrollToTop('game');
  }

  /** The room is left: hide the game and stop the countdown's ticking. */
  close(): void {
    this.#phase.stop();
    element('game').hidden = true;
  }

  /** Draws `state` as `clientId` sees it (not seated: watching), with the characters one may pick. */
  render(state: LabyrinthState, clientId: string, characters: readonly CharacterSummary[]): void {
    const me = state.players.get(clientId);
    element('session-title').textContent =
      `Session ${shortId(state.sessionId)}: round ${state.round}, ${state.size}×${state.size}, fog ${state.fog}, ` +
      (state.seed ? `seed ${state.seed}` : 'seed hidden until the round is finished');
    this.#phase.show(state);
    this.#renderPlayers(state, clientId);
    this.#renderControls(state, me, characters);
    this.#renderBoard(state, clientId);
    this.#renderChat(state);
    element('role').textContent = me === undefined ? 'You are watching this session.' : `You play as ${me.name}.`;
    element('position').textContent = me ? positionText(state, me) : '';
    const myCell = me ? `${me.x},${me.y}` : '';
    if (myCell !== this.#myCell) element('move-feedback').textContent = '';
    this.#myCell = myCell;
    // The player may have scrolled to the chat or the lists meanwhile: play happens on the board.
    if (state.phase === 'playing' && this.#shownPhase !== 'playing' && this.#shownPhase !== '') scrollToTop('game');
    this.#shownPhase = state.phase;
  }

  #renderPlayers(state: LabyrinthState, myClientId: string): void {
    const items: HTMLLIElement[] = [];
    for (const [clientId, player] of state.players) {
      const item = document.createElement('li');
      item.dataset.clientId = clientId;
      item.dataset.ready = String(player.ready);
      item.dataset.connected = String(player.connected);
      item.dataset.bot = String(player.bot);
      const character = player.characterName ? `, ${player.characterName} (${player.characterRole})` : '';
      const you = clientId === myClientId ? ' (you)' : '';
      // A bot holds no socket: "disconnected" would be news about nothing.
      const presence = player.bot ? ' (bot)' : player.connected ? '' : ', disconnected';
      const winner = state.winner === clientId ? ' — winner' : '';
      // The player's token as the board draws it, so each name can be found there.
      const token = tokenElement({ ...playerToken(clientId, player.name), title: '', mine: clientId === myClientId });
      token.setAttribute('aria-hidden', 'true');
      item.replaceChildren(token, `${player.name}${you}: ${player.ready ? 'ready' : 'not ready'}${presence}${character}${winner}`);
      items.push(item);
    }
    element('players').replaceChildren(...items);
    const watchers = [...state.spectators.values()].map((spectator) => spectator.name);
    element('spectators').textContent = watchers.length > 0 ? `Watching: ${watchers.join(', ')}` : '';
  }

  #renderControls(state: LabyrinthState, me: PlayerView | undefined, characters: readonly CharacterSummary[]): void {
    const inLobby = state.phase === 'lobby' || state.phase === 'countdown';
    // Readiness is set before a round only, by a player: otherwise the button would only say no.
    const ready = element<HTMLButtonElement>('ready-button');
    ready.hidden = !me || !inLobby;
    ready.setAttribute('aria-pressed', String(me?.ready === true));
    ready.textContent = me?.ready ? 'Ready ✔ (press to cancel)' : 'I am ready';
    element<HTMLButtonElement>('new-round-button').hidden = state.phase !== 'finished' || !me;
    element<HTMLButtonElement>('replay-button').hidden = !hasFinishedRound(state);
    // Moves are a player's, while the round is played: the pad shows for players, usable then.
    const playing = state.phase === 'playing' && me !== undefined;
    element('moves').hidden = !me;
    for (const button of element('move-pad').querySelectorAll('button')) button.disabled = !playing;
    element('board').toggleAttribute('data-swipe', playing);

    const select = element<HTMLSelectElement>('character-select');
    const taken = new Map([...state.players.values()].filter((p) => p.characterId).map((p) => [p.characterId, p.name]));
    const prompt = document.createElement('option');
    prompt.value = '';
    prompt.textContent = characters.length > 0 ? 'Choose a character…' : 'Loading characters…';
    const options = characters.map((character) => {
      const option = document.createElement('option');
      option.value = character.id;
      const holder = taken.get(character.id);
      option.textContent = `${character.name} (${character.role ?? 'hero'})${holder ? `, taken by ${holder}` : ''}`;
      option.disabled = holder !== undefined && character.id !== me?.characterId;
      return option;
    });
    const chosen = select.value || me?.characterId || '';
    select.replaceChildren(prompt, ...options);
    select.value = chosen;
    const fieldset = element<HTMLFieldSetElement>('character-fieldset');
    fieldset.hidden = !me; // spectators play no character
    fieldset.disabled = state.phase !== 'lobby';
  }

  #renderBoard(state: LabyrinthState, myClientId: string): void {
    if (!this.#grid || this.#gridLabyrinthId !== state.labyrinthId) {
      // A new round brings a new maze: start a new grid.
      this.#grid = new MazeGrid(element('board'), state.size);
      this.#gridLabyrinthId = state.labyrinthId;
      element('move-feedback').textContent = '';
    }
    for (const tile of state.revealed.values()) this.#grid.drawTile(tile);
    this.#grid.highlight(state.startX, state.startY, 'start');
    const markers = [...state.players.values()]
      .filter(() => state.phase !== 'lobby' && state.phase !== 'countdown')
      .map((player) => ({
        ...playerToken(player.clientId, player.name),
        x: player.x,
        y: player.y,
        title: `${player.name} at (${player.x}, ${player.y})`,
        mine: player.clientId === myClientId,
      }));
    this.#grid.setMarkers(markers);
    element('board').setAttribute('aria-label', `Maze ${state.size} by ${state.size}: ${state.revealed.size} tiles revealed`);
  }

  #renderChat(state: LabyrinthState): void {
    const log = element('chat-log');
    const lines = [...state.chat];
    const lastShown = log.lastElementChild as HTMLElement | null;
    if (log.children.length === lines.length && lastShown?.dataset.at === String(lines.at(-1)?.at)) return;
    log.replaceChildren(
      ...lines.map((line) => {
        const item = document.createElement('li');
        item.dataset.at = String(line.at);
        item.textContent = `${line.name}: ${line.text}`;
        return item;
      }),
    );
    log.scrollTop = log.scrollHeight;
  }
}

/** Where the player stands once a round runs; before it, where everyone will start. */
function positionText(state: LabyrinthState, me: PlayerView): string {
  if (state.phase === 'lobby') return '';
  // Players are put on the start cell when the round starts, not before: their x and y are stale.
  if (state.phase === 'countdown') return `Everyone starts at (${state.startX}, ${state.startY}) when the countdown ends.`;
  const tile = state.revealed.get(`${me.x},${me.y}`);
  return tile ? `You are at (${me.x}, ${me.y}): open ${[...tile.openDirections].join(' ')}.` : `You are at (${me.x}, ${me.y}).`;
}

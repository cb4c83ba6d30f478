import { clearNotice, showError, showInfo } from './notices.ts';
import { element } from './pageElement.ts';
import { restClient } from './restClient.ts';
import type { JoinTarget } from './sessionConnection.ts';
import { shortId } from './shortId.ts';
import { textField } from './textField.ts';

/** The notice of a session that could not be created, until one is. */
const CREATE_FAILED = 'Create session';

/**
 * "Play": the matchmaking a player uses. Quick play (a seat in an open public session of that maze
 * kind, or a new one: the server decides), join a private session by its code, or create a session
 * (its seats, public or private) and join it.
 */
export function setUpPlayPanel(join: (target: JoinTarget) => Promise<void>, afterCreate: () => void): void {
  const quickPlay = element<HTMLFormElement>('quick-play-form');
  quickPlay.addEventListener('submit', (event) => {
    event.preventDefault();
    const fields = new FormData(quickPlay);
    const size = textField(fields, 'size');
    const fog = textField(fields, 'fog');
    // Left empty, size and fog are the server's QUICK_PLAY_SIZE and QUICK_PLAY_FOG.
    void join({ quickPlay: { size: size ? Number(size) : undefined, fog: fog === 'team' || fog === 'player' ? fog : undefined } });
  });

  const byCode = element<HTMLFormElement>('code-form');
  byCode.addEventListener('submit', (event) => {
    event.preventDefault();
    // The server takes a code in either case, and says what is wrong with one that does not fit.
    void join({ code: textField(new FormData(byCode), 'code'), spectator: false });
  });

  const create = element<HTMLFormElement>('create-form');
  create.addEventListener('submit', (event) => {
    event.preventDefault();
    void createAndJoin(new FormData(create));
  });

  async function createAndJoin(fields: FormData): Promise<void> {
    try {
      const bots = Number(fields.get('bots'));
      const session = await restClient.createSession({
        size: Number(fields.get('size')),
        seed: textField(fields, 'seed') || undefined,
        fog: fields.get('fog') === 'player' ? 'player' : 'team',
        maxPlayers: Number(fields.get('maxPlayers')),
        // Seats the room plays itself (0 … maxPlayers − 1; the server names the field when it is over).
        bots,
        visibility: fields.get('visibility') === 'private' ? 'private' : 'public',
      });
      showInfo(
        `Session ${shortId(session.id)} created: ${session.maxPlayers} seats, ${bots} bots, fog ${session.fog}` +
          (session.code ? `, private (join code ${session.code})` : ', public'),
      );
      clearNotice(CREATE_FAILED);
      afterCreate();
      await join({ sessionId: session.id, spectator: false });
    } catch (error) {
      showError(error, CREATE_FAILED);
    }
  }
}

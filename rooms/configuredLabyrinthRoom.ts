import { prepareForMatchmaking, quickPlayDefaults, SIGNED_IN_OPTION, type SignedInJoin } from './joinForms.ts';
import { refusingJoinOn, type JoinRefusal } from './joinRefusals.ts';
import type { LabyrinthClient } from './labyrinthProtocol.ts';
import { LabyrinthRoom, type LabyrinthRoomServices } from './LabyrinthRoom.ts';

/** The room class with its services bound; what `src/app.ts` registers as `labyrinth`. */
export function labyrinthRoomWith(services: LabyrinthRoomServices) {
  return class ConfiguredLabyrinthRoom extends LabyrinthRoom {
    protected override readonly services = services;

    /**
     * Before the matchmaker looks for a room (see prepareForMatchmaking): the options, and who joins.
     * A token (`client.auth.token`, sent as `Authorization: Bearer`) is verified here, and the player
     * it signs in goes to the room in the options (returning it instead would skip the room's own
     * onAuth, which seats); without one, a guest. Banned identities are refused before any room is
     * found or made. `true` lets the room's own onAuth run.
     */
    static override async onAuth(token: string | undefined, options: Record<string, unknown>): Promise<true> {
      try {
        const join = prepareForMatchmaking(options, quickPlayDefaults(services.settings));
        await refusingJoinOn(async () => {
          const signedIn = await services.accounts.signIn(token);
          await services.accounts.playerId(signedIn, join.options.clientId);
          if (signedIn) options[SIGNED_IN_OPTION] = { clientId: signedIn.clientId, name: signedIn.name } satisfies SignedInJoin;
        });
      } catch (error) {
        services.metrics.joinRefused((error as JoinRefusal).reason ?? 'invalid_options');
        throw error;
      }
      return true;
    }

    /** A join whose session cannot be found or made (an unknown id or code, MAX_SESSIONS reached) is counted like a refused join. */
    override async onCreate(options: unknown): Promise<void> {
      try {
        await super.onCreate(options);
      } catch (error) {
        services.metrics.joinRefused((error as JoinRefusal).reason ?? 'invalid_options');
        throw error;
      }
    }

    /** Every refused join counted by its reason (`labyrinth_joins_refused_total`), apart from the 4002 close Colyseus then sends. */
    override async onAuth(client: LabyrinthClient, options: unknown) {
      try {
        return await super.onAuth(client, options);
      } catch (error) {
        const reason = (error as JoinRefusal).reason ?? 'invalid_options';
        // An overloaded server counts its refusals itself (refuseNewcomersWhenOverloaded), for the HTTP bridge too.
        if (reason !== 'server_overloaded') services.metrics.joinRefused(reason);
        throw error;
      }
    }
  };
}

import { prepareForMatchmaking, quickPlayDefaults } from './joinForms.ts';
import { LabyrinthRoom, type LabyrinthRoomServices } from './LabyrinthRoom.ts';

/** The room class with its services bound; what `src/app.ts` registers as `labyrinth`. */
export function labyrinthRoomWith(services: LabyrinthRoomServices) {
  return class ConfiguredLabyrinthRoom extends LabyrinthRoom {
    protected override readonly services = services;

    /** Before the matchmaker looks for a room: see prepareForMatchmaking. `true` lets the room's own onAuth run. */
    static override onAuth(_token: unknown, options: Record<string, unknown>): Promise<true> {
      prepareForMatchmaking(options, quickPlayDefaults(services.settings));
      return Promise.resolve(true);
    }
  };
}


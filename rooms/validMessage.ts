import type { z } from 'zod';
import { findUnsafeInput } from '../src/untrustedInput.ts';
import type { LabyrinthClient } from './labyrinthProtocol.ts';

/** How a handler refuses a message: `error` `{code, message}` to its sender, counted (see clientCommands.ts's `refuse`). */
export type RefuseMessage = (client: LabyrinthClient, code: string, message: string) => void;

/**
 * A message handler that validates its payload first. A payload that does not fit is refused with
 * `invalid_message` and the message's usage, and changes nothing (Colyseus's own `validate()` would
 * close the connection instead). The payload type comes from the schema, so the SDK's typed
 * `room.send` checks what clients send.
 */
export function validMessage<Schema extends z.ZodType>(
  message: { schema: Schema; usage: string },
  handler: (client: LabyrinthClient, payload: z.output<Schema>) => void,
  refuse: RefuseMessage,
): (client: LabyrinthClient, payload: z.input<Schema>) => void {
  return (client, payload) => {
    // Control characters, lone surrogates and prototype keys never fit, whatever the schema says.
    const unsafe = findUnsafeInput(payload, ['payload']);
    const parsed = unsafe ? undefined : message.schema.safeParse(payload);
    if (parsed?.success) handler(client, parsed.data);
    else refuse(client, 'invalid_message', unsafe ? `${message.usage} (${unsafe.message})` : message.usage);
  };
}

import { z } from 'zod';

/** The body of every error answer (see errorResponses.ts). */
export const errorResponse = z
  .object({
    error: z
      .object({
        code: z.string().meta({ description: 'Stable and machine-readable, e.g. `session_not_found`: branch on it.' }),
        message: z.string().meta({ description: 'For people; may change.' }),
        field: z.string().optional().meta({ description: 'The input field at fault, e.g. `size`.' }),
      })
      // e.g. `sessionId`: the session a client is already seated in (409 client_in_other_session).
      .catchall(z.string())
      .meta({ description: 'Besides code, message and field: facts a client can act on, e.g. `sessionId`.' }),
  })
  .meta({ id: 'Error' });

/** The old API's errors: FastAPI's `detail`, which old clients read, next to the error object. */
export const legacyErrorResponse = errorResponse.extend({ detail: z.string() }).meta({ id: 'LegacyError' });

import { StartupFailure } from '../startupFailure.ts';
import { errorChain, isDatabaseUnreachable } from './databaseUnreachable.ts';

/**
 * The operator's line for an error opening the PostgreSQL database in `databaseUrl`, by the
 * PostgreSQL error code (or the socket's): what to fix, where, and never the password. Undefined
 * for an error that is none of these (a bug, a failed migration): that one keeps its stack.
 */
export function postgresStartFailure(error: unknown, databaseUrl: string): StartupFailure | undefined {
  const url = new URL(databaseUrl);
  const server = `${url.hostname}:${url.port || '5432'}`;
  const user = decodeURIComponent(url.username) || 'postgres';
  const database = decodeURIComponent(url.pathname.slice(1)) || user;
  const codes = [...errorChain(error)].map((link) => (link as { code?: unknown }).code).filter((code) => typeof code === 'string');
  const pgMessage = [...errorChain(error)].at(-1)?.message;
  const missing =
    `database "${database}" does not exist on PostgreSQL at ${server} (DATABASE_URL): create it, ` +
    `e.g. \`createdb -h ${url.hostname} -p ${url.port || '5432'} -U postgres -O ${user} ${database}\` ` +
    `or in psql \`CREATE DATABASE "${database}" OWNER "${user}";\``;
  const line = (text: string) => new StartupFailure(text, { cause: error });
  // 42501 "permission denied to create database": something tried to create the missing one.
  if (codes.includes('3D000') || (codes.includes('42501') && /create database/i.test(pgMessage ?? ''))) return line(missing);
  if (codes.includes('28P01') || codes.includes('28000')) {
    return line(`PostgreSQL at ${server} refused user "${user}" (${pgMessage}): check the user and password in DATABASE_URL`);
  }
  if (codes.includes('42501')) {
    return line(
      `PostgreSQL user "${user}" lacks a privilege on database "${database}" at ${server} (${pgMessage}): ` +
        `make it the owner, e.g. \`ALTER DATABASE "${database}" OWNER TO "${user}";\` and \`ALTER SCHEMA public OWNER TO "${user}";\``,
    );
  }
  if (isDatabaseUnreachable(error)) {
    const reason = codes.find((code) => code.startsWith('E')) ?? pgMessage;
    return line(`cannot reach PostgreSQL at ${server} (${reason}): check DATABASE_URL, and that PostgreSQL runs and accepts connections there`);
  }
  return undefined;
}

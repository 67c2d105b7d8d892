// PostgreSQL LISTEN/NOTIFY for replicas sharing one database (issue 13: bridge workers across
// replicas). LISTEN needs a session of its own, outside the pool: one dedicated pg client per
// process, reconnected after a failure. Notifications are a wake-up only; whoever relies on one
// also reads the table, so one lost while reconnecting delays an answer but never loses it.
import { sql, type Kysely } from "kysely";
import pg from "pg";
import type { DatabaseSchema } from "./schema.ts";

export type NotificationHandler = (channel: string, payload: string) => void;

export interface NotificationListener {
  /** Stops listening and closes the session; safe to call more than once. */
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;
const RECONNECT_MS = 1_000;

/**
 * Listens on `channels` with a dedicated session to `url`; resolves once the first LISTEN is in
 * place. Later failures are reported to `onError` and the session is opened again.
 */
export async function listenForNotifications(
  url: string,
  channels: readonly string[],
  onNotification: NotificationHandler,
  onError: (error: unknown) => void,
): Promise<NotificationListener> {
  for (const channel of channels) {
    if (!CHANNEL.test(channel)) throw new TypeError(`invalid notification channel '${channel}'`);
  }
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const session = new pg.Client({ connectionString: url });
    session.on("notification", (message) => onNotification(message.channel, message.payload ?? ""));
    session.on("error", (error) => {
      onError(error);
      reopen(session);
    });
    session.on("end", () => reopen(session));
    client = session;
    await session.connect();
    for (const channel of channels) await session.query(`LISTEN ${channel}`);
  };
  const reopen = (session: pg.Client) => {
    if (closed || client !== session) return;
    client = undefined;
    session.end().catch(() => undefined);
    retry = setTimeout(() => {
      open().catch((error: unknown) => {
        onError(error);
        if (client) reopen(client);
      });
    }, RECONNECT_MS);
    retry.unref();
  };

  try {
    await open();
  } catch (error) {
    closed = true;
    await client?.end().catch(() => undefined);
    throw error;
  }
  return {
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}

/** NOTIFY `channel` with `payload`, through the pool (delivered when the statement's transaction commits). */
export async function notify(db: Kysely<DatabaseSchema>, channel: string, payload: string): Promise<void> {
  await sql`select pg_notify(${channel}, ${payload})`.execute(db);
}

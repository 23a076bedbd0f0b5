import "server-only";
import pg from "pg";

/**
 * Listen on a PostgreSQL channel with a connection of its own (outside the
 * pool), reconnecting with backoff when it drops. Returns a function that
 * stops listening. While disconnected, notifications are missed: callers keep
 * a time-based backstop (the API key cache's freshness window).
 */
export function listen(url: string, channel: string, onMessage: (payload: string) => void, onReconnect?: () => void): () => void {
  let stopped = false;
  let client: pg.Client | null = null;
  let delay = 500;

  const connect = async () => {
    if (stopped) return;
    const c = new pg.Client({ connectionString: url });
    c.on("notification", (n) => {
      if (n.channel === channel && n.payload) onMessage(n.payload);
    });
    c.on("error", () => undefined);
    c.on("end", () => {
      client = null;
      if (!stopped) setTimeout(() => void connect(), delay).unref();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replaceAll('"', '""')}"`);
      client = c;
      if (delay > 500) onReconnect?.();
      delay = 500;
    } catch {
      await c.end().catch(() => undefined);
      delay = Math.min(delay * 2, 10_000);
    }
  };
  void connect();
  return () => {
    stopped = true;
    void client?.end().catch(() => undefined);
  };
}

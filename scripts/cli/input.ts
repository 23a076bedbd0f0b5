// Reading the CLI's input: durations, lists, and a password from stdin (never from argv).

/** A usage mistake: printed with a pointer to --help, exit code 2. */
export class UsageError extends Error {}

/** `30d`, `12h`, `90m`, an ISO date, or `never`. */
export function parseExpiry(value: string | undefined, now = new Date()): { expiresAt: Date | null; noExpiry: boolean } {
  if (value === undefined) return { expiresAt: null, noExpiry: false };
  if (value === "never") return { expiresAt: null, noExpiry: true };
  const relative = /^(\d{1,5})([dhm])$/.exec(value);
  if (relative) {
    const unit = { d: 86_400_000, h: 3_600_000, m: 60_000 }[relative[2] as "d" | "h" | "m"];
    return { expiresAt: new Date(now.getTime() + Number(relative[1]) * unit), noExpiry: false };
  }
  const date = /^\d{4}-\d{2}-\d{2}/.test(value) ? new Date(value) : new Date(Number.NaN);
  if (Number.isNaN(date.getTime())) throw new UsageError(`--expires: use a duration such as 30d, 12h or 90m, an ISO date, or "never" (got "${value}").`);
  return { expiresAt: date, noExpiry: false };
}

export function parseList(value: string): string[] {
  return value.split(",").map((s) => s.trim()).filter(Boolean);
}

/** A password from stdin: typed without echo on a terminal, otherwise the first line of what is piped in. */
export async function readPassword(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(Buffer.from(chunk));
    return Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "";
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let typed = "";
    const onData = (data: Buffer) => {
      for (const char of data.toString("utf8")) {
        if (char === "\r" || char === "\n") {
          done();
          return resolve(typed);
        }
        if (char === "\u0003") {
          done();
          return reject(new UsageError("Cancelled."));
        }
        typed = char === "\u007f" ? typed.slice(0, -1) : typed + char;
      }
    };
    const done = () => {
      stdin.off("data", onData);
      stdin.setRawMode(false);
      stdin.pause();
      process.stderr.write("\n");
    };
    stdin.on("data", onData);
  });
}

/** A secret value: typed without echo on a terminal, otherwise all of stdin (multi-line values kept) without one trailing newline. */
export async function readSecretValue(prompt: string): Promise<string> {
  if (process.stdin.isTTY) return readPassword(prompt);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8").replace(/\r?\n$/, "");
}

// Types of outage-response.mjs (plain JavaScript, imported by server.mjs).
import type { IncomingMessage, ServerResponse } from "node:http";

/** Is the database marked unreachable (lib/server/db/availability.ts)? */
export declare function isDatabaseDown(): boolean;

/** A ServerResponse whose 500 goes out as a 503 with Retry-After while the database is marked down. */
export declare class OutageAwareResponse<Request extends IncomingMessage = IncomingMessage> extends ServerResponse<Request> {}

/** While the database is marked down, answer a request directly (true) or leave it to Next (false). */
export declare function outageAnswerer(publicDir: string): (req: IncomingMessage, res: ServerResponse) => boolean;

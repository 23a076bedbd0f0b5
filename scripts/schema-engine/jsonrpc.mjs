// Writing JSON-RPC 2.0 messages to the CLI, one JSON object per stdout line.
// stdout carries nothing else, because the CLI parses every line as a message.

/** @param {unknown} payload */
export function send(payload) {
  process.stdout.write(`${JSON.stringify(payload)}\n`);
}

let printRequestId = 0;

/**
 * Asks the CLI to print `content` on its stdout. Fire and forget: the CLI
 * handles the request as soon as it reads the line, i.e. before the response
 * that follows it, and its acknowledgement needs no action.
 *
 * @param {string} content
 */
export function sendPrintRequest(content) {
  send({ jsonrpc: "2.0", id: ++printRequestId, method: "print", params: { content } });
}

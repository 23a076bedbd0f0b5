import http from "node:http";
import { expect, test } from "@playwright/test";
import { instancePorts } from "../fixtures/app";

// A reverse proxy keeps its connections to Gatehouse open between requests (nginx's
// upstream keepalive, cloud load balancers: up to 60 s idle). If the server closed an idle
// connection sooner (Node's default is 5 s), the proxy would sometimes send a request down a
// socket the server had just closed, and answer it with a 502.

function get(agent: http.Agent, port: number): Promise<{ status: number; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: "127.0.0.1", port, path: "/api/health/live", agent }, (res) => {
      res.resume();
      res.on("end", () => resolve({ status: res.statusCode ?? 0, reused: req.reusedSocket }));
    });
    req.on("error", reject);
  });
}

test("an instance keeps an idle kept-alive connection open well past 5 seconds", async () => {
  test.setTimeout(60_000);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const [port] = instancePorts();
    expect(await get(agent, port)).toEqual({ status: 200, reused: false });
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    expect(await get(agent, port)).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
});

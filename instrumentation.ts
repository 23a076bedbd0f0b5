// Validate the configuration once at startup: a production server with unsafe
// settings refuses to start and names every problem.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertConfigAtStartup } = await import("./lib/server/startup-check");
    assertConfigAtStartup();
  }
}

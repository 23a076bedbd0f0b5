// Validate the configuration once at startup: a production server with unsafe
// settings refuses to start and names every problem. Then, on a fresh
// installation, print the one-time first-run setup link.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { assertConfigAtStartup } = await import("./lib/server/startup-check");
    assertConfigAtStartup();
    const { announceSetupLink } = await import("./lib/server/setup/announce-setup-link");
    await announceSetupLink();
  }
}

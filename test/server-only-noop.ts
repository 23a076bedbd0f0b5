// Stand-in for the "server-only" marker package when Vitest runs server modules directly.
export {};

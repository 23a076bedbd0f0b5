export interface NavItem {
  href: string;
  label: string;
  icon: keyof typeof ICON_PATHS;
}

// Simple 24×24 outline glyphs (stroke paths).
export const ICON_PATHS = {
  overview: "M3 12l9-8 9 8M5 10v10h5v-6h4v6h5V10",
  sessions: "M3 5h18v11H3zM8 20h8M12 16v4",
  security: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z M9 12l2 2 4-4",
  keys: "M15 7a4 4 0 1 1-3.9 5H9v2H7v2H4v-3l5.1-5.1A4 4 0 0 1 15 7z",
  secrets: "M6 10V8a6 6 0 1 1 12 0v2M5 10h14v11H5z M12 14v3",
  env: "M4 6h16M4 12h10M4 18h7",
  webhooks: "M10 14a4 4 0 1 1 2-7.5M14 10a4 4 0 1 1-2 7.5M8 18h8",
  platform: "M12 3l8 4.5-8 4.5-8-4.5zM4 12l8 4.5 8-4.5M4 16.5 12 21l8-4.5",
  audit: "M8 4h11v16H5V7zM8 4v3H5M9 11h6M9 15h6",
  posture: "M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z M8 15v-2M12 15v-5M16 15v-3",
  importExport: "M7 4v12m0 0-3-3m3 3 3-3M17 20V8m0 0-3 3m3-3 3 3",
  members: "M16 19v-1a4 4 0 0 0-4-4H7a4 4 0 0 0-4 4v1M9.5 10a3 3 0 1 0 0-6 3 3 0 0 0 0 6M21 19v-1a4 4 0 0 0-3-3.9M15 4.1a3 3 0 0 1 0 5.8",
  settings: "M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM19 12l2-1-1-3-2 .3-1.4-1.4.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L6.8 7.3 4.8 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.4 1.4-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.4-1.4 2 .3 1-3-2-1z",
} as const;

export const NAV_ITEMS: NavItem[] = [
  { href: "/overview", label: "Overview", icon: "overview" },
  { href: "/sessions", label: "Sessions", icon: "sessions" },
  { href: "/security", label: "Security", icon: "security" },
  { href: "/api-keys", label: "API keys", icon: "keys" },
  { href: "/secrets", label: "Secrets", icon: "secrets" },
  { href: "/job-env", label: "Job ENV", icon: "env" },
  { href: "/webhooks", label: "Webhooks", icon: "webhooks" },
  { href: "/platform", label: "Platform", icon: "platform" },
  { href: "/audit", label: "Audit log", icon: "audit" },
  { href: "/security-overview", label: "Security overview", icon: "posture" },
  { href: "/import-export", label: "Import / Export", icon: "importExport" },
  { href: "/members", label: "Members", icon: "members" },
  { href: "/settings", label: "Settings", icon: "settings" },
];

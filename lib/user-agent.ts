/**
 * A readable device label and coarse families from a User-Agent string.
 * The families feed the trust rules (a browser or OS family change makes a
 * session untrusted), so they ignore versions on purpose.
 */
export interface DeviceInfo {
  browser: string;
  os: string;
  label: string;
}

const BROWSERS: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, "Edge"],
  [/OPR\/|Opera/, "Opera"],
  [/Firefox\/|FxiOS\//, "Firefox"],
  [/HeadlessChrome\//, "Headless Chrome"],
  [/Chrome\/|CriOS\/|Chromium\//, "Chrome"],
  [/Safari\//, "Safari"],
  [/curl\//, "curl"],
];

const SYSTEMS: [RegExp, string][] = [
  [/iPhone|iPad|iPod/, "iOS"],
  [/Android/, "Android"],
  [/CrOS/, "ChromeOS"],
  [/Windows/, "Windows"],
  [/Mac OS X|Macintosh/, "macOS"],
  [/Linux/, "Linux"],
];

export function describeUserAgent(ua: string | null | undefined): DeviceInfo {
  const s = ua ?? "";
  const browser = BROWSERS.find(([re]) => re.test(s))?.[1] ?? "Unknown browser";
  const os = SYSTEMS.find(([re]) => re.test(s))?.[1] ?? "unknown OS";
  return { browser, os, label: `${browser} on ${os}` };
}

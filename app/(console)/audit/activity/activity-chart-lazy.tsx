"use client";
import dynamic from "next/dynamic";

/** recharts only loads in the browser, after the list: the page does not wait for it. */
export const LazyActivityChart = dynamic(() => import("./activity-chart"), {
  ssr: false,
  loading: () => <div className="h-56 w-full animate-pulse rounded-lg bg-zinc-100 dark:bg-zinc-800/60" aria-hidden />,
});

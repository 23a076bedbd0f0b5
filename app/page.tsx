import { redirect } from "next/navigation";
import { getDb } from "@/lib/server/db/client";
import { isSetupComplete } from "@/lib/server/setup/setup-first-owner";
import { getCurrentSession } from "@/lib/server/auth/current-session";

export default async function Home() {
  if (!(await isSetupComplete(getDb()))) redirect("/setup");
  redirect((await getCurrentSession()) ? "/overview" : "/sign-in");
}

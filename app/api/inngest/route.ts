import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";

// Inngest calls this endpoint to list (GET), sync (PUT) and run (POST) functions; requests are
// signed with INNGEST_SIGNING_KEY outside dev mode.
export const dynamic = "force-dynamic";
export const { GET, POST, PUT } = serve({ client: inngest, functions: [...FUNCTIONS] });

import { serve } from "inngest/next";
import { inngest } from "@/inngest/client";
import { FUNCTIONS } from "@/inngest/functions";
import { guardInngestHandler } from "@/lib/jobs";

// Inngest calls this endpoint to list (GET), sync (PUT) and run (POST) functions; requests are
// signed with INNGEST_SIGNING_KEY outside dev mode.
export const dynamic = "force-dynamic";

const handlers = serve({ client: inngest, functions: [...FUNCTIONS] });

export const GET = guardInngestHandler(handlers.GET);
export const POST = guardInngestHandler(handlers.POST);
export const PUT = guardInngestHandler(handlers.PUT);

import { bulkReplayDeadLetters } from "@/lib/ops/commands";
import { commandRoute } from "@/app/api/admin/command-route";

export const dynamic = "force-dynamic";

export const POST = commandRoute(bulkReplayDeadLetters);

import { endpointRoute } from "@/lib/endpoints";
import { calendarFeedStatusEndpoint, createCalendarFeedEndpoint, revokeCalendarFeedEndpoint } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

export const GET = endpointRoute(calendarFeedStatusEndpoint);
export const POST = endpointRoute(createCalendarFeedEndpoint);
export const DELETE = endpointRoute(revokeCalendarFeedEndpoint);

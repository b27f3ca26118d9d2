import { memberAuth } from "@/lib/auth";
import { parseJsonBody, route } from "@/lib/http";
import { addNote, addNoteSchema } from "@/lib/pipeline";

export const dynamic = "force-dynamic";

/** Append a note (notes are never edited). */
export const POST = route(
  async ({ auth, params, request }) => {
    const input = await parseJsonBody(request, addNoteSchema);
    return { status: 201, body: await addNote(auth.orgId, auth.actor, String(params.id), input) };
  },
  { authenticate: memberAuth },
);

import { AppError } from "@/lib/http";
import { can, type OrgAction, type OrgRole } from "./permissions";

/** Who is acting inside an org: the signed-in member and their role there. */
export interface OrgActor {
  userId: string;
  role: OrgRole;
}

export function assertCan(actor: OrgActor, action: OrgAction) {
  if (!can(actor.role, action)) {
    throw new AppError("forbidden", `Your role (${actor.role}) does not allow ${action}.`);
  }
}

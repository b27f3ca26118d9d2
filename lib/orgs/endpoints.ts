import { z } from "zod";
import { defineEndpoint } from "@/lib/http";
import { inviteMember, listOpenInvitations, revokeInvitation } from "./invitations";
import { listMembers, removeMember, updateMemberRole } from "./members";
import { assignableRoles } from "./permissions";
import { inviteMemberSchema, updateMemberRoleSchema } from "./schemas";
import { seatUsage } from "./seats";

const byId = z.object({ id: z.string() });

export const listMembersEndpoint = defineEndpoint({
  name: "appListMembers",
  method: "GET",
  path: "/api/app/members",
  auth: "session",
  summary: "Members, open invitations, seats, and the roles the caller may assign.",
  success: { status: 200 },
  problems: ["forbidden"],
  handle: async ({ auth, ctx }) => {
    const [members, invitations, seats] = await Promise.all([
      listMembers(ctx),
      listOpenInvitations(ctx),
      seatUsage(ctx),
    ]);
    return {
      body: {
        data: members,
        invitations,
        seats,
        me: { userId: auth.actor.userId, role: auth.actor.role, assignableRoles: assignableRoles(auth.actor.role) },
      },
    };
  },
});

export const updateMemberRoleEndpoint = defineEndpoint({
  name: "appUpdateMemberRole",
  method: "PATCH",
  path: "/api/app/members/{id}",
  auth: "session",
  summary: "Change a member's role.",
  params: byId,
  body: updateMemberRoleSchema,
  success: { status: 200 },
  problems: ["forbidden", "not_found", "conflict"],
  handle: async ({ ctx, params, body }) => ({
    body: await updateMemberRole(ctx, params.id, body.role),
  }),
});

export const removeMemberEndpoint = defineEndpoint({
  name: "appRemoveMember",
  method: "DELETE",
  path: "/api/app/members/{id}",
  auth: "session",
  summary: "Remove a member from the organisation.",
  params: byId,
  success: { status: 204 },
  problems: ["forbidden", "not_found", "conflict"],
  handle: async ({ ctx, params }) => {
    await removeMember(ctx, params.id);
    return { status: 204, body: null };
  },
});

export const inviteMemberEndpoint = defineEndpoint({
  name: "appInviteMember",
  method: "POST",
  path: "/api/app/invitations",
  auth: "session",
  summary: "Invite a member.",
  description: "The link is returned once so the inviter can also share it directly.",
  body: inviteMemberSchema,
  success: { status: 201 },
  problems: ["forbidden", "conflict"],
  handle: async ({ ctx, body }) => {
    const { invitation, url } = await inviteMember(ctx, body);
    return {
      status: 201,
      body: {
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        expires_at: invitation.expiresAt,
        url,
      },
    };
  },
});

export const revokeInvitationEndpoint = defineEndpoint({
  name: "appRevokeInvitation",
  method: "DELETE",
  path: "/api/app/invitations/{id}",
  auth: "session",
  summary: "Revoke an open invitation.",
  params: byId,
  success: { status: 204 },
  problems: ["forbidden", "not_found"],
  handle: async ({ ctx, params }) => {
    await revokeInvitation(ctx, params.id);
    return { status: 204, body: null };
  },
});

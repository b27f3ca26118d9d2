import { queryOptions } from "@tanstack/react-query";
import type { AlertUsage, ApiAlert } from "@/lib/alerts";
import type { ApiChannel } from "@/lib/channels";
import { apiFetch } from "@/lib/client";
import type { OrgRole, SeatUsage as ServerSeatUsage } from "@/lib/orgs";

// Each resource a product page reads, declared once: its query key (what mutations invalidate)
// and how it is fetched. Errors are ApiError (lib/client/api-fetch.ts), Problem+JSON as received.

export interface AlertsList {
  data: ApiAlert[];
  usage: AlertUsage;
}

export interface MemberRow {
  id: string;
  userId: string;
  name: string | null;
  email: string;
  role: OrgRole;
  joinedAt: string;
}
export interface InvitationRow {
  id: string;
  email: string;
  role: OrgRole;
  expiresAt: string;
}
/** The team page's seat counts, as the server computes them (lib/orgs seatUsage). */
export type SeatUsage = Omit<ServerSeatUsage, "plan">;
export interface Team {
  data: MemberRow[];
  invitations: InvitationRow[];
  seats: SeatUsage;
  me: { userId: string; role: OrgRole; assignableRoles: OrgRole[] };
}

export interface ApiKeyRow {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface NaicsRow {
  code: string;
  title: string;
  level: number;
}

/** NAICS codes matching what someone types; titles do not change while a page is open. */
export const naicsSearchQuery = (term: string) =>
  queryOptions({
    queryKey: ["naics", term],
    queryFn: () => apiFetch<{ data: NaicsRow[] }>(`/api/app/naics?q=${encodeURIComponent(term)}&limit=20`),
    staleTime: Infinity,
  });

export const alertsQuery = queryOptions({
  queryKey: ["alerts"],
  queryFn: () => apiFetch<AlertsList>("/api/app/alerts"),
});

/** Members, open invitations and seats: inviting, changing a role or removing someone changes all three. */
export const teamQuery = queryOptions({
  queryKey: ["team"],
  queryFn: () => apiFetch<Team>("/api/app/members"),
});

export const apiKeysQuery = queryOptions({
  queryKey: ["api-keys"],
  queryFn: () => apiFetch<{ data: ApiKeyRow[] }>("/api/app/api-keys"),
});

export const channelsQuery = queryOptions({
  queryKey: ["channels"],
  queryFn: () => apiFetch<{ data: ApiChannel[] }>("/api/app/channels"),
});

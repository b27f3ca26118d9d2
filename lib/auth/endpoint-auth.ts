import { apiKeyActor, orgContext, type ApiKeyActor, type MemberActor, type OrgContext } from "@/lib/context";
import type { Authenticator, EndpointAuthKind, EndpointContext, EndpointPrincipals } from "@/lib/http";
import type { ApiKeyPrincipal } from "./api-keys";
import { apiKeyAuth, memberAuth, type MemberAuth } from "./authenticators";
import { memberContext } from "./member-context";

declare module "@/lib/http" {
  interface EndpointPrincipals {
    /** `Authorization: Bearer bk_…`: programs acting for the key's org (`/api/v1`). */
    apiKey: ApiKeyPrincipal;
    /** The signed-in member's session cookie, same origin only: the product's own pages (`/api/app`). */
    session: MemberAuth;
  }
  interface EndpointContexts {
    apiKey: OrgContext<ApiKeyActor>;
    session: OrgContext<MemberActor>;
  }
}

/** The endpoint edge's one adapter from a principal to the service context its handler passes to lib. */
export const endpointContexts: {
  [K in EndpointAuthKind]: (principal: EndpointPrincipals[K], requestId: string) => EndpointContext<K>;
} = {
  public: () => null,
  apiKey: (key, requestId) => orgContext(key.orgId, apiKeyActor(key.keyId), { requestId }),
  session: (member, requestId) => memberContext(member.viewer, { requestId }),
};

/** How each kind of endpoint caller is authenticated (401/403 Problem+JSON when not). */
export const endpointAuthenticators: { [K in EndpointAuthKind]: Authenticator<unknown> } = {
  public: async () => null,
  apiKey: apiKeyAuth,
  session: memberAuth,
};

import type { Authenticator, EndpointAuthKind } from "@/lib/http";
import type { ApiKeyPrincipal } from "./api-keys";
import { apiKeyAuth, memberAuth, type MemberAuth } from "./authenticators";

declare module "@/lib/http" {
  interface EndpointPrincipals {
    /** `Authorization: Bearer bk_…`: programs acting for the key's org (`/api/v1`). */
    apiKey: ApiKeyPrincipal;
    /** The signed-in member's session cookie, same origin only: the product's own pages (`/api/app`). */
    session: MemberAuth;
  }
}

/** How each kind of endpoint caller is authenticated (401/403 Problem+JSON when not). */
export const endpointAuthenticators: { [K in EndpointAuthKind]: Authenticator<unknown> } = {
  public: async () => null,
  apiKey: apiKeyAuth,
  session: memberAuth,
};

// The Auth.js adapter: its route handlers and sign-in, and what the route does around them (the
// callback URL check, the magic-link rate limit). Apart from lib/auth's index so that only the
// Auth.js route and the sign-in actions load next-auth.
export { handlers, signIn, signOut } from "./instance";
export { sanitizeAuthRequest } from "./request";
export { magicLinkRateLimitResponse } from "./magic-link-limit";

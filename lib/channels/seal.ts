import { openSealedValue, sealValue } from "@/lib/outbox";

// A channel's URL and signing secret, sealed at rest with keys of their own (HKDF purposes), so
// neither can be opened as a sign-in link's seal or as each other.
const URL_PURPOSE = "channel-url:v1";
const SECRET_PURPOSE = "channel-secret:v1";

export const sealChannelUrl = (url: string) => sealValue(URL_PURPOSE, url);
export const openChannelUrl = (sealed: string) => openSealedValue(URL_PURPOSE, sealed);
export const sealChannelSecret = (secret: string) => sealValue(SECRET_PURPOSE, secret);
export const openChannelSecret = (sealed: string) => openSealedValue(SECRET_PURPOSE, sealed);

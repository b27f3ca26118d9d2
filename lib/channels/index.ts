import { registerChannelTransport } from "@/lib/outbox";
import { channelDelivery } from "./delivery";

// The outbox sends `channel` rows through lib/channels (it cannot import it back). Registered on
// load: whatever enqueues a channel post has loaded this module, and so has the outbox sweep.
registerChannelTransport(channelDelivery);

export {
  listChannels,
  createChannel,
  updateChannel,
  deleteChannel,
  sendTestPost,
  toApiChannel,
  channelDestination,
  type ApiChannel,
  type ChannelsContext,
  type CreatedChannel,
  type TestSendResult,
} from "./channels";
export { channelsAccess, channelsAccessIn, assertChannelsIncluded, channelPlans, type ChannelsAccess } from "./access";
export {
  alertChannelPosts,
  changeChannelPosts,
  channelsOfAlerts,
  setAlertChannels,
  channelIdsOfAlerts,
  type AlertDigestPost,
  type ChangedNoticeForChannels,
  type ChannelRef,
} from "./posts";
export { alertPost, changePost, testPost, renderPost, type ChannelPost, type AlertMatch } from "./messages";
export { createChannelSchema, updateChannelSchema, channelIdsSchema } from "./schemas";
export { CHANNEL_KINDS, CHANNEL_KIND_LABELS, CHANNEL_RULES, CHANNEL_FAILURE_LIMIT, type ChannelKind } from "./rules";
export { checkChannelUrl, urlHint, isPrivateAddress } from "./urls";
export { channelDelivery } from "./delivery";
export {
  listChannelsEndpoint,
  createChannelEndpoint,
  updateChannelEndpoint,
  deleteChannelEndpoint,
  testChannelEndpoint,
} from "./endpoints";

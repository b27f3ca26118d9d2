export {
  enqueueOutbox,
  enqueueOutboxMany,
  enqueueEvents,
  eventDedupeKey,
  type EnqueueOutboxInput,
  type EnqueuedOutbox,
} from "./enqueue";
export { registerEventSender, eventSender, type EventSender } from "./event-sender";
export {
  registerChannelTransport,
  channelTransport,
  PermanentDeliveryError,
  type ChannelTransport,
  type ChannelTarget,
  type ChannelOutcome,
  type ChannelRow,
} from "./channel-transport";
export {
  deliverDueOutbox,
  deliverOutboxNow,
  claimOutboxIn,
  deliverOutboxClaim,
  type OutboxClaim,
  OUTBOX_LEASE_MS,
  OUTBOX_DEFAULT_BATCH,
  OUTBOX_DELIVERY_CONCURRENCY,
  type DeliverOptions,
  type OutboxDeliveryResult,
  type OutboxDeliverySummary,
} from "./deliver";
export {
  listOutbox,
  getOutboxEvent,
  replayOutbox,
  replayDeadLetter,
  discardOutbox,
  outboxCounts,
  OUTBOX_BULK_LIMIT,
  type OutboxFilter,
  type OutboxListQuery,
  type OutboxRow,
  type OperatorOutboxContext,
  type OperatorWriteContext,
  type OperatorWriteOptions,
} from "./dead-letters";
export { sendEmailNow } from "./send-email-now";
export { outboxBackoffMs, OUTBOX_BACKOFF_BASE_MS, OUTBOX_BACKOFF_CAP_MS, OUTBOX_BACKOFF_MIN_MS } from "./backoff";
export { signWebhookBody, verifyWebhookSignature, WEBHOOK_SIGNATURE_HEADER } from "./signature";
export {
  emailPayloadSchema,
  storedEmailPayloadSchema,
  SIGN_IN_EMAIL_KINDS,
  webhookPayloadSchema,
  eventPayloadSchema,
  channelPayloadSchema,
  OUTBOX_KINDS,
  OUTBOX_STATUSES,
  type EmailPayload,
  type StoredEmailPayload,
  type WebhookPayload,
  type EventPayload,
  type ChannelPayload,
  type OutboxKind,
  type OutboxStatus,
  type OutboxMessage,
} from "./payloads";
export {
  listOutboxCircuits,
  retryOutboxCircuit,
  recordCircuitFailure,
  recordCircuitSuccess,
  circuitPolicy,
  circuitOpenMs,
  isCustomerChannelDestination,
  isPlatformCircuit,
  type CircuitState,
  type CircuitPolicy,
  type OutboxCircuit,
} from "./circuits";
export { HIDDEN_LINK, sealValue, openSealedValue } from "./sealed-links";

export {
  recordEmails,
  transmitEmail,
  markEmailAttempts,
  currentEmailTransport,
  type EmailMessage,
  type EmailTransport,
  type EmailAttemptOutcome,
} from "./transport";
export { latestEmailTo } from "./queries";

export { recordEmails, transmitEmail, markEmailAttempt, currentEmailTransport, type EmailMessage, type EmailTransport } from "./transport";
export { latestEmailTo, listRecentEmails } from "./queries";

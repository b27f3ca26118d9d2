export { sendEmail, type EmailMessage } from "./send-email";
export { latestEmailTo, listRecentEmails } from "./queries";

export { sendEmail, type EmailMessage } from "./send-email";
export { latestEmailTo } from "./queries";

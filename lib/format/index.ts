export { formatDate, formatDateTime, formatTime } from "./dates";
export { formatUsdCents } from "./money";
export { maskEmail, maskEmailsIn } from "./mask";

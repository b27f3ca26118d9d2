export { formatDate, formatDateTime, formatTime } from "./dates";

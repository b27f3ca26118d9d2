// Browser-side: calls from client components to Beacon's own routes.
export { ApiError, apiFetch } from "./api-fetch";

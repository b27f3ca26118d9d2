import { AppError, route } from "@/lib/http";

// Any /api path without a route of its own answers a Problem+JSON 404, whatever the method.
const unknownRoute = route(async ({ url }) => {
  throw new AppError("not_found", `No API route at ${url.pathname}.`);
});

export {
  unknownRoute as GET,
  unknownRoute as POST,
  unknownRoute as PUT,
  unknownRoute as PATCH,
  unknownRoute as DELETE,
  unknownRoute as HEAD,
  unknownRoute as OPTIONS,
};

// The server's side of a field's rules: zod schemas built from ./rules.ts, which the browser
// imports on its own (through `@/lib/validation/rules`) so that zod stays out of the pages.
export { textSchema, listSchema } from "./zod";

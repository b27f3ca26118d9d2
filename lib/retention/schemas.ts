import { z } from "zod";

/** The owner's request, as the API's body and the Data page's forms send it. */
export const dataRequestInputSchema = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("export") }).strict(),
    z
      .object({
        kind: z.literal("deletion"),
        confirm_name: z.string().min(1, "Type the organisation's name to confirm.").max(200),
      })
      .strict(),
  ],
  { message: 'kind must be "export" or "deletion".' },
);

export type DataRequestInput = z.infer<typeof dataRequestInputSchema>;
